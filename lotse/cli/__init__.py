"""The ``lotse`` command line (cli.md): one module per command, all on the Qt-free core."""
