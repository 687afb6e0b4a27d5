# News intake (issue 6). Included by the Makefile (-include mk/*.mk).
VENV ?= .venv
SHARED ?= ../shared

.PHONY: eval-intake
eval-intake: ## precision and recall of the news intake per kind and field, on the seeds and the dev sample
	PYTHONPATH=src $(VENV)/bin/python -m keyprojects.intake.evaluate --shared $(SHARED)
