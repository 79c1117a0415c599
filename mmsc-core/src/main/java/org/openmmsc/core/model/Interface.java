package org.openmmsc.core.model;

/** The reference point a message entered by, and reports go back over. */
public enum Interface {
    MM1, MM3, MM4, MM7,
    /** The operator's admin API. */
    ADMIN
}
