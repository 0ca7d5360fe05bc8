"""Build the actor knowledge base (src/tightrope/actors/data/kb/*.tsv) from ../shared/data/knowledge.

    .venv/bin/python scripts/build_knowledge.py [KNOWLEDGE_DIR] [--out DIR] [--problems]

The tables are committed; running this again on the same sources rewrites them byte for byte
(tests/test_kb.py checks it). See src/tightrope/actors/kb_build.py for what is read and how.
"""

import sys

from tightrope.actors.kb_build import main

if __name__ == "__main__":
    sys.exit(main())
