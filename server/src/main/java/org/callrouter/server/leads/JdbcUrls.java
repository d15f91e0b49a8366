package org.callrouter.server.leads;

import java.util.regex.Pattern;

/** JDBC URL text safe to log and show: a password in the URL never leaves. */
final class JdbcUrls {

    /** {@code password=...} as a query parameter (PostgreSQL, DuckDB options). */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    /** {@code //user:password@host} in the authority. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:?]*):[^/@?]*@");

    private JdbcUrls() {
    }

    /** {@code url} with any password replaced by {@code ***}; null stays null. */
    static String withoutPassword(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }
}
