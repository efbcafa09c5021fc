"""demo-service-manage: database and maintenance commands."""

import sys


def main():
    print("demo-service-manage: nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
