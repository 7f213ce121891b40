language-name = 中文
