"""Views (charts and live tools) for each chapter: ``chapters/NN_slug.ipynb`` uses ``course.views.slug``."""
