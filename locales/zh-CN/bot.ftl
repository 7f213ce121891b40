# Telegram conversation: onboarding, profile, help. zh-CN is the default language.

welcome =
    欢迎使用「清风」廉洁服务！
    { $commission }通过这里向企业和家庭发送廉洁提醒、廉政知识答题，并受理群众举报。
    登记只需一分钟。
# The commission's name in the welcome: the county's name from the regions file, or, before one
# is imported, the generic 县纪委监委.
commission-name = { $county }纪委监委
commission-name-generic = 县纪委监委
welcome-back = 欢迎回来！您之前的登记信息还在，可以直接恢复订阅，也可以重新填写。
already-subscribed = 您已经登记过了：
ask-audience = 请选择您的身份：
ask-township = 请选择您所在的乡镇：
ask-village = 请选择您所在的村（社区）：
ask-enterprise-name =
    请输入企业名称（与营业执照一致）：
    例如：竹山县某某建材有限公司
ask-credit-code =
    请输入统一社会信用代码（18 位，印在营业执照上），也可以点击“跳过”。
enterprise-name-too-short = 这看起来不像企业名称。请输入营业执照上的完整名称，例如“竹山县某某农业有限公司”。
enterprise-name-too-long = 企业名称最多 100 个字，请检查后重新输入。
enterprise-name-one-line = 企业名称请写在一行内。
credit-code-length = 统一社会信用代码应为 18 位，您输入了 { $count } 位。请核对后重新输入，或点击“跳过”。
credit-code-character = 统一社会信用代码中不会出现“{ $character }”。请核对后重新输入，或点击“跳过”。
credit-code-checksum = 这个统一社会信用代码的校验位不正确，可能有字符输错了。请对照营业执照重新输入，或点击“跳过”。
confirm-household =
    请确认您的登记信息：
    身份：家庭
    乡镇：{ $township }
    村（社区）：{ $village }
confirm-enterprise =
    请确认您的登记信息：
    身份：企业
    乡镇：{ $township }
    企业名称：{ $name }
    统一社会信用代码：{ $credit_code }
value-not-provided = 未填写
village-not-listed = 未列出
ask-village-name = 请输入您所在的村（社区）的名称，例如“龙井村”。我们会请工作人员补充到列表中；不想填写可以点“跳过”。
village-name-invalid = 请输入村（社区）的名称（2 到 30 个字，一行），或点“跳过”。
village-typed = 未列出（您填写的是“{ $village }”）
onboarding-saved =
    登记成功！您将收到{ $township }的廉洁提醒和答题活动。
    发送 /me 查看或修改登记信息，发送 /stop 退订。
resubscribed = 已恢复订阅。发送 /me 查看登记信息。
onboarding-cancelled = 已取消，您的登记信息没有改变。发送 /start 可以随时重新开始。
nothing-to-cancel = 当前没有进行中的操作。发送 /help 查看可用功能。
use-the-buttons = 请点击下方按钮进行选择：
button-expired = 这个按钮已失效，请使用最新消息中的按钮。
button-unknown = 无法识别这个按钮，请使用最新消息中的按钮。
deeplink-invalid = 这个二维码链接无法识别或已失效，请按下面的步骤手动登记。
deeplink-place = 您扫描的是{ $place }的二维码。
button-enterprise = 🏢 企业
button-household = 🏠 家庭
button-village-not-listed = 我的村（社区）不在列表中
button-skip = 跳过
button-back = « 返回
button-cancel = ✖ 取消
button-confirm = ✅ 确认
button-restart = ✏️ 重新填写
button-next-page = 下一页 »
button-previous-page = « 上一页
button-edit-profile = 🔄 重新登记
button-change-township = 修改乡镇
button-change-village = 修改村（社区）
button-change-enterprise-name = 修改企业名称
button-change-credit-code = 修改信用代码
button-unsubscribe = 🔕 退订
button-resubscribe = 🔔 恢复订阅
me-household =
    您的登记信息：
    身份：家庭
    乡镇：{ $township }
    村（社区）：{ $village }
    状态：{ $status }
me-enterprise =
    您的登记信息：
    身份：企业
    乡镇：{ $township }
    企业名称：{ $name }
    统一社会信用代码：{ $credit_code }
    状态：{ $status }
status-active = 订阅中
status-inactive = 已退订
me-not-subscribed = 您还没有登记。发送 /start 开始登记。
stop-done = 已退订，您将不再收到提醒。登记信息会保留，发送 /start 可以恢复订阅。
stop-not-subscribed = 您目前没有订阅，无需退订。
lang-choose = 请选择语言 / Please choose a language:
lang-set = 已切换为中文。
help =
    「清风」可以为您做这些事：
    /start — 登记或修改身份（企业或家庭）和所在地，订阅廉洁提醒
    /report — 举报党员干部违纪违法问题（可匿名，内容加密保存）
    /status — 用查询码查看举报的办理情况、回复工作人员
    /me — 查看、修改登记信息或退订
    /quiz — 廉政知识答题（每题都有解析）
    /rank — 查看本期答题排名
    /stop — 退订提醒
    /lang — 切换语言（中文 / English）
    /cancel — 取消正在进行的操作
    /help — 显示本帮助

    也可以拨打全国统一举报电话 12388，或登录 12388.gov.cn 反映问题。
unsupported-message = 抱歉，这里只能识别文字和按钮。发送 /help 查看可用功能。
unknown-command = 没有这个命令。发送 /help 查看可用命令。
error-internal = 抱歉，系统暂时出现故障，您已提交的信息不会丢失。请稍后再试。
cmd-start = 登记并订阅廉洁提醒
cmd-me = 查看或修改登记信息
cmd-stop = 退订提醒
cmd-lang = 切换语言
cmd-cancel = 取消当前操作
cmd-help = 帮助
cmd-report = 举报问题（可匿名）
cmd-status = 查询举报办理情况
button-report = 📝 我要举报
button-status = 🔎 查询举报
your-chat-id = 您的聊天 ID 是 { $id }。如果您是纪委监委工作人员，请把它交给系统管理员，用于接收新举报提醒。
# 底部菜单（回复键盘）：按下按钮就是发送这几个字，和对应的命令效果相同。
menu-quiz = 答题
menu-report = 举报
menu-status = 查询
menu-me = 我的
menu-shown = 下方菜单随时可用：「答题」参加廉洁答题，「举报」反映问题，「查询」用查询码查看举报进展，「我的」查看登记信息。
lang-unknown = 没有“{ $language }”这种语言。可以发送 /lang zh（中文）或 /lang en（English），也可以点下面的按钮。
