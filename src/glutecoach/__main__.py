from glutecoach.cli import entry

if __name__ == "__main__":  # not when a worker process imports it
    entry()
