# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
.PHONY: demo test bench lint format pg-start pg-stop clean

demo:
	@bash tools/demo.sh

test:
	@bash tools/test.sh

bench:
	@bash tools/bench.sh

lint:
	@bash tools/ensure_tools.sh
	@bash tools/lint.sh

format:
	ruff check --fix .
	ruff format .

pg-start:
	@bash tools/pg.sh start

pg-stop:
	@bash tools/pg.sh stop

clean: pg-stop
	rm -rf .local
