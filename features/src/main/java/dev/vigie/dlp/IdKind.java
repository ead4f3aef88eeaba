package dev.vigie.dlp;

/** The identifier kinds the content scanner counts. */
public enum IdKind {
    /** French social security number (NIR), also the INS built on it. */
    NIR,
    /** Payment card number (PAN), Luhn-checked. */
    CARD
}
