# The two commands of the README: `make run` and `make test`.
.PHONY: run test setup lint bench

run:
	bash scripts/setup.sh
	.venv/bin/trede db upgrade
	.venv/bin/trede demo load
	TREDE_ENV=development .venv/bin/trede serve

test:
	bash scripts/setup.sh --browser
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/python -m pytest

setup:
	bash scripts/setup.sh --browser

lint:
	.venv/bin/ruff check .
	.venv/bin/mypy  # the files and the strictness per package are in pyproject.toml [tool.mypy]

bench:
	bash scripts/setup.sh
	.venv/bin/python -m bench
