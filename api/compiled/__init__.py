"""A compiled executor for planned case queries (issue 20).

Above the GraphQL infrastructure and the case domain (it reads their types and their loaded
objects); only the wiring (api.app) imports it.
"""
