//! Characters that user text may not carry, whatever the field: the rules shared by
//! tweet content, display names and (later) bios.
//!
//! Key decision: refuse rather than isolate. A bidirectional override in a name or a
//! tweet reorders what readers see (the "Trojan Source" and RTLO spoofing tricks), and a
//! value of invisible characters only impersonates an empty one. Refusing at the edge
//! means every client, not only ours, renders stored text safely.

/// Whether `c` may not appear in user text. Tab and line breaks are allowed where
/// `multiline` (tweets), nowhere else.
pub fn is_forbidden(c: char, multiline: bool) -> bool {
    match c {
        '\t' | '\n' | '\r' => !multiline,
        // NUL and every other C0/C1 control.
        c if c.is_control() => true,
        // Bidirectional embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates
        // (LRI, RLI, FSI, PDI).
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        // Noncharacters and the byte-order mark used as a character.
        '\u{FFFE}' | '\u{FFFF}' | '\u{FEFF}' => true,
        _ => false,
    }
}

/// Whether `c` renders as nothing: whitespace, zero-width and format characters,
/// fillers and variation selectors.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}' | '\u{206A}'..='\u{206F}' | '\u{2800}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FFA0}' | '\u{1D159}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Why `text` may not be stored, if it may not: a forbidden character, or nothing
/// visible at all.
pub fn check(text: &str, multiline: bool) -> Result<(), &'static str> {
    if text.chars().any(|c| is_forbidden(c, multiline)) {
        return Err("contains control, bidirectional override or isolate characters");
    }
    if text.chars().all(is_invisible) {
        return Err("must contain a visible character");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_overrides_and_invisible_only_values_are_refused() {
        for bad in [
            "a\0b",
            "evil\u{202E}gnp.exe",
            "x\u{2066}y\u{2069}",
            "\u{200B}\u{200B}",
            "\u{3164}",
            "\u{2800} ",
            "",
            "bom\u{FEFF}",
            "bell\u{7}",
        ] {
            assert!(check(bad, true).is_err(), "{bad:?}");
        }
        assert!(check("two\nlines\tand tab", true).is_ok());
        assert!(check("two\nlines", false).is_err());
        // Joiners inside visible text are fine (emoji sequences need them).
        assert!(check("👩\u{200D}💻 عربي עברית", false).is_ok());
    }
}
