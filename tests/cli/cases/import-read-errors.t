# A file that cannot be read is named with the reason, exit 2, nothing written.
$ sovmap --catalog c.db init
~ c.db
$ sovmap --catalog c.db import atlas missing.json
? 2
! missing.json: cannot read: No such file or directory
$ sovmap --catalog c.db import model missing.json
? 2
! missing.json: cannot read: No such file or directory
