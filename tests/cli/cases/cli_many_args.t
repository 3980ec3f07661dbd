# many words on commands that take a fixed few: the usage error, never a
# write past the arguments array
$ sovmap init >/dev/null

# many words on commands that take few: one line, exit 2, never past an array
$ sovmap check a b c d e f g h i j k l m n o p
>
! sovmap: check takes one model file at most, not b
! usage: sovmap check [MODEL.json] [--format text|json|sarif|junit] [--fail-on LEVEL] [--rules PACK] [-o FILE] [--scenario NAME]
? 2

$ sovmap plan a b c d e f g h i j k l m n o p
>
! sovmap: plan takes no arguments, not a
! usage: sovmap plan [--scenario NAME] [--prefer mechanisms|moves[,ORDER]] [--fail-on LEVEL]
? 2

$ sovmap waive RES001 a b c d e f g h i j k l m n
>
! sovmap: waive needs a RULE and an OBJECT, not b
! usage: sovmap waive RULE OBJECT --owner WHO --reason WHY --expires YYYY-MM-DD
? 2

$ sovmap waive RES001 a b c d e f g h i j k l m n o p q
>
! sovmap: waive: too many arguments
! usage: sovmap waive RULE OBJECT --owner WHO --reason WHY --expires YYYY-MM-DD
? 2

$ sovmap waive RES001 a b
>
! sovmap: waive needs a RULE and an OBJECT, not b
! usage: sovmap waive RULE OBJECT --owner WHO --reason WHY --expires YYYY-MM-DD
? 2

$ sovmap scenario apply a b c d e f g h i j k l m n o p
>
! sovmap: scenario apply needs one NAME
! usage: sovmap scenario apply NAME
? 2

$ sovmap scenario rm a b c d e f g h i j k l m n o p
>
! sovmap: scenario rm needs NAME INDEX
! usage: sovmap scenario rm NAME INDEX
? 2

$ sovmap scenario new a b c d e f g h i j k l m n o p
>
! sovmap: scenario new needs one NAME
! usage: sovmap scenario new NAME [--base OTHER] [--description TEXT]
? 2

$ sovmap scenario list a b c d e f g h i j k l m n o p
>
! sovmap: scenario list takes no arguments
! usage: sovmap scenario list [--format text|tsv|json] [--check]
? 2
