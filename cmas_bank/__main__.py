from cmas_bank.cli import console

console()
