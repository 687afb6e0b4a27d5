pytest_plugins = ["keyprojects.core.testing.fixtures"]
