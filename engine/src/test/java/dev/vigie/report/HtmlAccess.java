package dev.vigie.report;

/** Opens the package-private escaper to tests in other packages. */
public final class HtmlAccess {
    private HtmlAccess() {}

    public static String esc(String s) {
        return Html.esc(s);
    }
}
