//! Server-side SVG bar charts (no JavaScript) and CSV files for the statistics tables.

/// Escapes text for XML and HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A horizontal bar chart: one labelled bar per row, scaled to the largest value.
pub fn bar_chart(rows: &[(String, i64)]) -> String {
    const ROW: usize = 22;
    const LABEL: usize = 170;
    const BAR: usize = 300;
    let height = ROW * rows.len().max(1) + 4;
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{}\" height=\"{height}\" \
         viewBox=\"0 0 {} {height}\" font-size=\"12\">",
        LABEL + BAR + 60,
        LABEL + BAR + 60
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i * ROW + 2;
        let width = (*value as f64 / max as f64 * BAR as f64).round() as usize;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"#0b5d3b\"><title>{}: {value}</title></rect>\
             <text x=\"{}\" y=\"{}\">{value}</text>",
            LABEL - 6,
            y + 15,
            escape(label),
            LABEL,
            y + 3,
            ROW - 6,
            escape(label),
            LABEL + width + 4,
            y + 15,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One CSV field, quoted when needed. A leading `=`, `+`, `-` or `@` is neutralised so that a
/// spreadsheet does not run a value as a formula.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// A CSV file (UTF-8 with a byte-order mark, which spreadsheet programs need for Chinese).
pub fn csv(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        let line: Vec<String> = row.iter().map(|v| field(v)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels_and_scale_bars() {
        let svg = bar_chart(&[("<b>宝丰镇</b>".into(), 10), ("麻家渡镇".into(), 5)]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("&lt;b&gt;宝丰镇") && !svg.contains("<b>"));
        assert!(svg.contains("width=\"300\"") && svg.contains("width=\"150\""));
        assert!(bar_chart(&[]).contains("<svg"));
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let out = csv(
            &["名称".into(), "数量".into()],
            &[
                vec!["a,b".into(), "1".into()],
                vec!["=HYPERLINK(\"x\")".into(), "2".into()],
            ],
        );
        assert!(out.starts_with('\u{feff}'));
        assert!(out.contains("\"a,b\",1\r\n"));
        assert!(out.contains("\"'=HYPERLINK(\"\"x\"\")\",2"));
    }
}
