from glutecoach.cli import entry

entry()
