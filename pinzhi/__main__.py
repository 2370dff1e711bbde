from pinzhi.cli import main

main()
