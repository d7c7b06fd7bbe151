"""``python -m postman_contracts.cli``: the same as ``postman-contracts``."""

from postman_contracts.cli._main import main

raise SystemExit(main())
