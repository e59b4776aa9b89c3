#!/usr/bin/env python
from carrefour.cli import main

if __name__ == "__main__":
    main()
