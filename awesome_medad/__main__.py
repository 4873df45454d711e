"""Allow ``python -m awesome_medad``."""

from awesome_medad.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess test
    main()
