package org.fedrec.encoder;

/**
 * A text encoder or its cache cannot be used as given: a model or tokenizer file that is missing or
 * unreadable, a graph whose inputs or outputs do not fit, a damaged or locked cache file. The message
 * names the file and says what was expected and what was found.
 */
public class EncoderException extends RuntimeException {

    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
