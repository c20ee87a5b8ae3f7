package org.tffinetune;

/**
 * Signals input that the user can fix: a missing or malformed file, an invalid option value, or a
 * model that does not fit the request. The CLI prints the message alone, without a stack trace, and
 * exits with status 2.
 *
 * <p>Messages name the file or field, what was expected and what was found.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input, the rule and the value found. */
  public InvalidInputException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the lower-level cause. */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
