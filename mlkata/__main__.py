from mlkata.cli import main

main()
