from dlrev.cli import main

main()
