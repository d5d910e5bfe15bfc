"""The views as pure functions of a frame: the timeline figure, the network graph, figure and
page, the source document view, and the one Jinja2 environment that turns data into HTML."""
