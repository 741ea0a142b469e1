"""Proof of what happened: the hash-chained case journal, its seal, replay, and the processing log
(Logboek Dataverwerkingen) with its own chain."""
