package org.openmmsc.core.model;

/** X-Mms-Message-Class / MM7 MessageClass. */
public enum MessageClass { PERSONAL, ADVERTISEMENT, INFORMATIONAL, AUTO }
