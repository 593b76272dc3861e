package io.clusterplatform.provisioner.core.problems;

/**
 * An error a user should see: it carries the HTTP status, a short title and a detail that says what
 * to do. The server maps it to {@code application/problem+json} in one place.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** 400: the request is understood but its content is wrong. */
    public static ProblemException invalid(String detail) {
        return new ProblemException(400, "Invalid request", detail);
    }

    /** 404: the named thing does not exist. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    /** 409: the request conflicts with what is stored. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }
}
