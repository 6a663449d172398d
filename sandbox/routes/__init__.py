"""Each platform's routes in the sandbox: the paths it answers and the bodies it renders."""
