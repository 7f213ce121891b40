-- One line of examples under each report category heading (违反群众纪律：优亲厚友、吃拿卡要…),
-- so a reporter can tell the categories apart. Optional: NULL shows the name alone.
ALTER TABLE report_categories ADD COLUMN examples_zh TEXT;
ALTER TABLE report_categories ADD COLUMN examples_en TEXT;
