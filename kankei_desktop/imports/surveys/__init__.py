"""Import the export of an online form (Google Forms, Microsoft Forms) as the responses to a
session's survey (issue 19): :mod:`.form` reads the file and finds its columns, :mod:`.infer`
guesses each question's kind, :mod:`.importer` matches, validates and writes."""
