package dev.vigie.protocols;

/** Application protocols the metadata parsers recognise, with the label written to {@code app_proto}. */
public enum AppProto {
    DNS("dns"),
    TLS("tls"),
    HTTP("http"),
    FTP("ftp"),
    FTP_DATA("ftp-data"),
    SSH("ssh"),
    DHCP("dhcp"),
    HL7("hl7"),
    DICOM("dicom"),
    TELNET("telnet"),
    /** Recognised (a 220 banner answered by EHLO/HELO) but not parsed: only the label is useful to rules. */
    SMTP("smtp");

    private final String label;

    AppProto(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
