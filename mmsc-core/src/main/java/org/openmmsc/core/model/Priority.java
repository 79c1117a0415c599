package org.openmmsc.core.model;

/** X-Mms-Priority / MM7 Priority. */
public enum Priority { LOW, NORMAL, HIGH }
