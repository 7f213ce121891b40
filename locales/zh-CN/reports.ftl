# 举报：举报流程、查询码、查询与回复，以及发给工作人员和举报人的通知。
# 依据《纪检监察机关处理检举控告工作规则》：自收到举报之日起 15 个工作日内告知实名举报人受理情况，
# 自办结之日起 15 个工作日内告知处理结果；属于上级纪委监委管辖的，自收到之日起 5 个工作日内移送。

report-intro =
    📝 举报党员干部和公职人员违纪违法问题

    · 内容加密保存，只有纪委监委工作人员可以查看，不会向被反映人透露。
    · 可以实名，也可以匿名。提交后您会得到一个查询码，用 /status 查看办理进展。
    · 随时发送 /cancel 放弃；草稿 24 小时内有效。
    · 紧急情况请拨打 110；也可以拨打全国统一举报电话 12388。

    请选择问题类别：
report-ask-subcategory = 「{ $heading }」中的哪一类？
report-ask-person-name = 被反映人的姓名是？（不知道可以点“不清楚”）
report-ask-person-unit = 被反映人在哪个单位工作？（例如：某镇人民政府、某村村委会、某县直部门）
report-ask-person-position = 被反映人的职务是？（不清楚可以跳过）
report-ask-person-level = 被反映人属于哪一级？
report-ask-commission-staff = 被反映人是县纪委监委的工作人员吗？（领导班子成员的问题由上级纪委监委办理，其他工作人员的问题由县纪委监委信访室办理）
report-ask-township = 问题发生在哪个乡镇？县直部门的问题请选“县直单位”。
report-ask-description =
    请具体描述问题（20 至 3000 字）：
    谁、做了什么、涉及多少钱物、有哪些知情人。请尽量写清事实，不要只写结论。
    不方便打字的，可以先发一条语音，再用文字简要概括。
report-ask-when-where = 问题发生的时间和地点？（例如：2026 年 10 月，镇政府办公室）
report-ask-evidence =
    如有证据，请直接发送照片、视频、文件或语音。
    限制：最多 { $max } 个，每个不超过 20 MB（Telegram 只允许机器人接收 20 MB 以内的文件；较长的视频请先压缩或剪短）。
    已收到 { $count } 个。发送完毕后点“完成”，没有证据请点“没有证据”。

    提醒：以“文件”方式发送的照片和文档会原样保留其中的附加信息（如作者、拍摄设备、拍摄地点），可能透露您的身份。如有顾虑，图片请以“照片”方式发送（Telegram 会压缩图片并去掉这些信息），文档请先删除其中的作者信息。
report-evidence-received = 已收到第 { $count } 个证据（最多 { $max } 个）。可以继续发送，发送完毕请点“完成”。
report-evidence-full = 已收到 { $max } 个证据，达到上限，再发送的文件不会保存。
report-evidence-too-large = 这个文件约 { $size } MB，超过了 20 MB 的上限（Telegram 只允许机器人接收 20 MB 以内的文件），无法保存。请压缩或剪短后再发送，或在描述中说明证据的情况。
report-evidence-unsupported = 这里只能接收照片、视频、文件和语音（每个不超过 20 MB）。
report-voice-description-kept = 🎙 已收到您的语音，作为证据保存，工作人员会收听。请再用文字写一段简要概括，方便登记和分办。
report-evidence-not-now = 现在还不能接收文件，到“证据”这一步时再发送。
report-ask-identity =
    您希望实名举报还是匿名举报？

    · 实名：请留下姓名和手机号。纪检监察机关对举报人信息严格保密，实名举报会按规定告知受理情况和处理结果。
    · 匿名：不留姓名和联系方式。
report-ask-reporter-name = 请输入您的真实姓名：
report-ask-reporter-mobile = 请输入您的手机号码（11 位）：
report-ask-notify =
    匿名举报：是否希望在这个聊天里收到受理情况和工作人员的回复？

    · 是：您的 Telegram 聊天地址会与举报一起加密保存，仅用于发送回复，工作人员看不到。
    · 否：系统不保存任何能把举报和您的账号联系起来的信息。您可以随时用查询码发送 /status 查看进展。
report-review =
    请核对举报内容：

    类别：{ $category }
    被反映人：{ $name }，{ $unit }，{ $position }，{ $level }
    是否纪检监察干部：{ $staff }
    乡镇：{ $township }
    时间地点：{ $when }
    证据：{ $evidence }
    身份：{ $identity }

    问题描述：
    { $description }

    确认无误请点“提交”。
report-review-truncated = （共 { $count } 字，此处只显示开头部分，提交时会完整保存）
report-edit-which = 要修改哪一项？
report-submitted =
    ✅ 举报已提交（编号 { $id }），已加密保存。

    您的查询码：{ $code }

    本条消息受保护，不能转发或保存。请抄写查询码，或点击下方“发送一条可保存的查询码”。查询码只显示这一次，工作人员也无法找回。
    发送 /status { $code } 可以查看办理进展、阅读回复和补充情况。
report-submitted-acceptance = 自收到举报之日起 15 个工作日内告知受理情况（预计 { $due } 前）。
report-submitted-no-notice = 您选择了匿名且不接收回复，因此不会收到受理情况告知；可随时发送 /status 加查询码查看办理进展。
report-submitted-upward = 按干部管理权限，本件应由上级纪委监委办理，将在收到之日起 5 个工作日内（{ $due } 前）移送，届时会告知您。
report-submitted-provisional = 注：明年的节假日安排尚未公布，上述日期按现有日历估算，可能略有变化。
report-cancelled = 已放弃本次举报，草稿已删除。
report-follow-up-cancelled = 已取消。需要时可以随时发送 /status 查询。
report-expired = 您的举报草稿超过 24 小时未完成，已自动删除。如需举报，请重新发送 /report。
report-quota-reached = 为防止滥用，每个账号每天最多提交 { $limit } 件举报。请明天再提交，或拨打 12388。
report-draft-in-progress = 您有一份未完成的举报草稿。请继续填写，或发送 /cancel 放弃。
report-review-outdated = 这份摘要已过期：举报内容在它之后修改过。请在下面最新的摘要中核对后提交。
report-confirm-cancel = 确定放弃这份举报吗？已填写的内容将被删除，无法恢复。
report-button-confirm-cancel = 确定放弃
report-button-keep-draft = 返回继续
report-resumed = 继续填写您的举报草稿：
report-text-empty = 内容不能为空，请重新输入。
report-text-too-short = 内容太短了，请至少写 { $min } 个字。
report-text-too-long = 内容太长了，最多 { $max } 个字。请精简后重新发送。
report-one-line = 请只输入一行，不要换行。
report-mobile-invalid = 这不是有效的手机号码。请输入 11 位手机号，例如 13800138000。
report-use-buttons = 请点击下面的按钮选择。
report-deleted = 已删除本次举报的对话记录（查询码消息保留，请保存好后自行删除）。
report-delete-failed = 部分消息无法删除（Telegram 只允许删除 48 小时内的消息）。请在聊天中手动删除。
report-unavailable = 举报功能暂未开通。请拨打全国统一举报电话 12388，或登录 12388.gov.cn。
report-anonymous = 匿名（不接收回复）
report-anonymous-notified = 匿名（在本聊天接收回复）
report-real-name = 实名：{ $name }，{ $mobile }
report-name-unknown = 姓名不详
report-no-position = 职务不详
report-no-evidence = 无
report-evidence-count = { $count } 个（{ $kinds }）
report-township-from-profile = { $township }（按您登记的乡镇填写，如不是请点“修改”）
report-county-departments = 县直单位
report-yes = 是
report-no = 否
report-button-unknown = 不清楚
report-button-skip-position = 跳过
report-button-county-departments = 🏛 县直单位
report-button-evidence-done = ✅ 完成
report-button-no-evidence = 没有证据
report-button-real-name = 实名举报
report-button-anonymous = 匿名举报
report-button-notify-yes = 是，在这里接收回复
report-button-notify-no = 否，不留任何联系
report-button-submit = ✅ 提交
report-button-edit = ✏️ 修改
report-button-cancel = ✖️ 放弃
report-button-back = ⬅️ 返回
report-button-delete = 🗑 删除本次举报的对话
report-button-savable-code = 📋 发送一条可保存的查询码
report-savable-code = 清风举报查询码：{ $code }
    （只含查询码，不含举报内容。发送 /status 加查询码可查看办理进展。请妥善保管，不要告诉他人。）
report-button-reply = ✍️ 回复工作人员
report-button-progress = 📋 查看进展
report-field-category = 类别
report-field-person = 被反映人
report-field-township = 乡镇
report-field-description = 问题描述
report-field-when-where = 时间地点
report-field-evidence = 证据
report-field-identity = 实名/匿名
report-level-county-or-above = 县级领导干部
report-level-section = 乡镇或县直部门领导干部（科级）
report-level-staff = 一般干部
report-level-village = 村（社区）干部
report-level-state-enterprise = 国有企业人员
report-level-other = 其他
report-level-unknown = 不清楚
report-commission-no = 不是
report-commission-leader = 是，县纪委监委领导班子成员
report-commission-other = 是，其他工作人员
report-evidence-photo = 照片
report-evidence-document = 文件
report-evidence-voice = 语音

status-ask-code = 请发送您的查询码（16 位字母和数字，例如 7KQ4-M2XD-9PRT-HC3V）：
status-code-malformed = 查询码是 16 位字母和数字（例如 7KQ4-M2XD-9PRT-HC3V），请检查后重新发送。发送 /cancel 退出。
status-wrong-code = 没有找到这个查询码对应的举报。请检查后重试（本小时还可以尝试 { $tries } 次）。
status-throttled = 错误次数过多，查询已暂停。请在 { $time } 之后再试。
status-view =
    📋 举报 编号 { $id }
    状态：{ $status }
    类别：{ $category }（{ $township }）
    提交日期：{ $received }
    { $deadline }

    { $messages }
status-deadline-acceptance = 受理情况告知期限：{ $due }（自收到之日起 15 个工作日）
status-deadline-result = 结果告知期限：{ $due }（自办结之日起 15 个工作日）
status-deadline-upward = 移送上级纪委监委期限：{ $due }（自收到之日起 5 个工作日）
status-message-staff = 【工作人员 { $time }】
    { $text }
status-message-you = 【您 { $time }】
    { $text }
status-no-messages = 暂无回复。
status-older-messages = （更早的 { $count } 条消息未显示）
status-reply-prompt = 请输入要告诉工作人员的内容（最多 2000 字）。发送 /cancel 取消。
status-reply-sent = 已发送给工作人员。可以随时用查询码发送 /status 查看回复。
status-reply-closed = 这件举报已经办结，不能再回复。如有新的情况，请发送 /report 重新举报。
status-finish-draft = 您有一份未完成的举报草稿。请先提交，或发送 /cancel 放弃，再查询。
report-status-received = 已收到，待受理
report-status-accepted = 已受理
report-status-not-accepted = 不予受理
report-status-in-disposal = 正在办理
report-status-concluded = 已办结，待告知结果
report-status-closed = 已办结并反馈
report-status-transferred = 已移送上级纪委监委

# 发给工作人员的提醒：不含任何举报内容。
report-alert-new = 🔔 新举报 编号 { $id }：{ $township }，{ $category }，受理期限 { $due }。请登录工作台处理。
report-alert-due-soon = ⏰ 举报 编号 { $id }（{ $township }，{ $category }）的{ $deadline }将于 { $due } 到期。请登录工作台处理。
report-alert-overdue = ⚠️ 举报 编号 { $id }（{ $township }，{ $category }）的{ $deadline }已于 { $due } 逾期。请尽快登录工作台处理。
report-alert-reporter-message = 💬 举报 编号 { $id } 的举报人发来了新消息。请登录工作台查看。
report-alert-forwarded = 📨 举报 编号 { $id } 已转由本单位办理。本单位的办理期限自收到之日起计算。请登录工作台查看。
report-alert-upward = 📤 编号 { $id } 是应移送上级纪委监委的举报，移送期限 { $due }（自收到之日起 5 个工作日）。请县纪委监委信访室登录工作台办理移送，不得复制或扩大知悉范围。
report-alert-upward-due-soon = ⏰ 应移送上级纪委监委的举报 编号 { $id } 将于 { $due } 到移送期限。请登录工作台办理。
report-alert-upward-overdue = ⚠️ 应移送上级纪委监委的举报 编号 { $id } 已于 { $due } 超过移送期限。请尽快登录工作台办理。
report-deadline-acceptance = 受理情况告知期限
report-deadline-upward = 移送期限
report-deadline-result = 结果告知期限

# 发给举报人的通知（不能转发）。
report-notice-accepted = 📋 您的举报（编号 { $id }）已受理。可以用查询码发送 /status 查看进展。
report-notice-not-accepted =
    📋 您的举报（编号 { $id }）不予受理。原因：
    { $text }
report-notice-closed =
    📋 您的举报（编号 { $id }）已办结。处理结果：
    { $text }
report-notice-reply =
    💬 纪委监委工作人员回复了您的举报（编号 { $id }）：
    { $text }

    如需回复，请用查询码发送 /status。

report-notice-merged = 📋 您的举报（编号 { $id }）与其他来件反映同一问题，已合并办理。
report-notice-transferred = 📋 您的举报（编号 { $id }）按干部管理权限由上级纪委监委办理，已移送上级纪委监委。本机关不再保留举报内容，后续由上级纪委监委依规处理。
report-progress = 【第 { $step } 步，共 { $total } 步】
