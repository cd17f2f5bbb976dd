"""Input and output at the edges: the database, run files, video. Each behind one small contract."""
