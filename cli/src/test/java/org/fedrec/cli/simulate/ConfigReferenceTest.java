package org.fedrec.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * docs/config.md is generated from {@link SimulateKeys}; this test fails when a key changes and the
 * document was not regenerated. Regenerate with {@code -Dfedrec.regenerateDocs=true}.
 */
class ConfigReferenceTest {

    static String expected() {
        return "# `fedrec simulate` configuration\n\n"
                + "Generated from `SimulateKeys` (do not edit by hand). Keys are set in a YAML/JSON file "
                + "(`--config FILE`, nested objects flatten to dotted keys) or as `KEY=VALUE` arguments, "
                + "which win over the file.\n\n"
                + SimulateKeys.definition().toMarkdown();
    }

    @Test
    void docsConfigMdMatchesTheKeyDefinitions() throws Exception {
        Path doc = Path.of("..", "docs", "config.md");
        if (Boolean.getBoolean("fedrec.regenerateDocs")) {
            Files.writeString(doc, expected(), StandardCharsets.UTF_8);
        }
        assertThat(doc).exists();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8)).isEqualTo(expected());
    }
}
