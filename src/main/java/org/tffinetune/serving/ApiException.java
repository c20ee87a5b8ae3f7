package org.tffinetune.serving;

/** An error that the REST API returns to the client with an HTTP status and a message. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String allowedMethod;

  ApiException(int status, String message) {
    this(status, message, null, null);
  }

  ApiException(int status, String message, Throwable cause) {
    this(status, message, null, cause);
  }

  private ApiException(int status, String message, String allowedMethod, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.allowedMethod = allowedMethod;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** Creates a 405 error whose response carries the header {@code Allow: allowedMethod}. */
  static ApiException methodNotAllowed(String method, String path, String allowedMethod) {
    return new ApiException(
        405,
        "method " + method + " not allowed on " + path + "; use " + allowedMethod,
        allowedMethod,
        null);
  }

  /** Returns the HTTP status code, such as 400 or 404. */
  int status() {
    return status;
  }

  /** Returns the method for the {@code Allow} header of a 405 response, or null. */
  String allowedMethod() {
    return allowedMethod;
  }
}
