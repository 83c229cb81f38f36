import sys

from planqa.cli import main

sys.exit(main())
