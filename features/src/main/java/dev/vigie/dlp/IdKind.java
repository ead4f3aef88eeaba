package dev.vigie.dlp;

/** The identifier kinds the content scanner counts. */
public enum IdKind {
    /** French social security number (NIR), also the INS built on it. */
    NIR,
    /** Payment card number (PAN), Luhn-checked. */
    CARD,
    /** The site's permanent patient number (IPP), by its configured pattern. */
    IPP,
    /** The site's stay number (IEP / NDA), by its configured pattern. */
    IEP
}
