from governance.cli.app import main

main()
