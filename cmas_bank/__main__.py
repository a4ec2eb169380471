from cmas_bank.cli import main

main()
