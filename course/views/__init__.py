"""Views (charts and live tools) for each chapter, one module per topic."""
