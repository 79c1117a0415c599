package org.openmmsc.core.model;

/**
 * Who pays for a message (MM7 ChargedParty, TS 23.140 §8.7.1; Rel-6 adds THIRD_PARTY and OTHER).
 * Carried to charging records; the relay itself does not price anything.
 */
public enum ChargedParty { SENDER, RECIPIENT, BOTH, NEITHER, THIRD_PARTY, OTHER }
