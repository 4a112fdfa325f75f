# The two commands of the README: `make demo` (or `go run ./cmd/courtier serve --demo`)
# and `make test`.
.PHONY: demo test build

demo:
	go run ./cmd/courtier serve --demo

test:
	bash scripts/test.sh $(ARGS)

build:
	go build -o bin/courtier ./cmd/courtier
