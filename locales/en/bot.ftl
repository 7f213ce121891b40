# Telegram conversation: onboarding, profile, help. zh-CN is the default language.

welcome =
    Welcome to Qingfeng, the integrity service of the { $commission }.
    The commission sends integrity reminders and quizzes to enterprises and households here, and receives reports from the public.
    Signing up takes a minute.
commission-name = { $county } Commission for Discipline Inspection and Supervision
commission-name-generic = county commission for discipline inspection and supervision
welcome-back = Welcome back! Your earlier details are still here: resume your subscription, or fill them in again.
already-subscribed = You have already signed up:
ask-audience = Who are you signing up as?
ask-township = Choose your township:
ask-village = Choose your village or community:
ask-enterprise-name =
    Type the name of your enterprise (as on its business licence):
    for example, Zhushan Example Building Materials Co., Ltd.
ask-credit-code =
    Type the unified social credit code (18 characters, printed on the business licence), or press “Skip”.
enterprise-name-too-short = That does not look like an enterprise name. Please type the full name on the business licence, e.g. "Zhushan Example Agriculture Co., Ltd."
enterprise-name-too-long = The name can have at most 100 characters; please check it and type it again.
enterprise-name-one-line = Please type the name on one line.
credit-code-length = A unified social credit code has 18 characters; you typed { $count }. Please check it and type it again, or press “Skip”.
credit-code-character = “{ $character }” never appears in a unified social credit code. Please check it and type it again, or press “Skip”.
credit-code-checksum = The check character of this unified social credit code does not match, so a character may be mistyped. Please compare it with the business licence and type it again, or press “Skip”.
confirm-household =
    Please confirm your details:
    You are: a household
    Township: { $township }
    Village or community: { $village }
confirm-enterprise =
    Please confirm your details:
    You are: an enterprise
    Township: { $township }
    Enterprise: { $name }
    Unified social credit code: { $credit_code }
value-not-provided = not given
village-not-listed = not listed
ask-village-name = Type the name of your village or community, e.g. "Longjing Village". We will ask the staff to add it to the list; press "Skip" if you prefer not to.
village-name-invalid = Please type the name of your village or community (2 to 30 characters, one line), or press "Skip".
village-typed = not listed (you typed "{ $village }")
onboarding-saved =
    You are signed up! You will receive integrity reminders and quizzes for { $township }.
    Send /me to see or change your details, /stop to unsubscribe.
resubscribed = Your subscription is active again. Send /me to see your details.
onboarding-cancelled = Cancelled; your details are unchanged. Send /start whenever you want to begin again.
nothing-to-cancel = Nothing is in progress. Send /help to see what you can do.
use-the-buttons = Please choose with the buttons below:
button-expired = This button has expired; please use the buttons on the latest message.
button-unknown = This button is not recognised; please use the buttons on the latest message.
deeplink-invalid = This QR code link is not recognised or has expired; please sign up with the steps below.
deeplink-place = You scanned the QR code of { $place }.
button-enterprise = 🏢 Enterprise
button-household = 🏠 Household
button-village-not-listed = My village is not listed
button-skip = Skip
button-back = « Back
button-cancel = ✖ Cancel
button-confirm = ✅ Confirm
button-restart = ✏️ Start over
button-next-page = Next »
button-previous-page = « Previous
button-edit-profile = 🔄 Sign up again
button-change-township = Change township
button-change-village = Change village
button-change-enterprise-name = Change name
button-change-credit-code = Change credit code
button-unsubscribe = 🔕 Unsubscribe
button-resubscribe = 🔔 Resume subscription
me-household =
    Your details:
    You are: a household
    Township: { $township }
    Village or community: { $village }
    Status: { $status }
me-enterprise =
    Your details:
    You are: an enterprise
    Township: { $township }
    Enterprise: { $name }
    Unified social credit code: { $credit_code }
    Status: { $status }
status-active = subscribed
status-inactive = unsubscribed
me-not-subscribed = You have not signed up yet. Send /start to sign up.
stop-done = You are unsubscribed and will receive no more reminders. Your details are kept; send /start to subscribe again.
stop-not-subscribed = You are not subscribed, so there is nothing to stop.
lang-choose = 请选择语言 / Please choose a language:
lang-set = Switched to English.
help =
    Qingfeng can do this for you:
    /start — sign up or change who you are (enterprise or household) and where, and subscribe to integrity reminders
    /report — report misconduct by Party members or officials (you may stay anonymous; reports are stored encrypted)
    /status — follow a report with its tracking code, and write to the staff
    /me — see or change your details, or unsubscribe
    /quiz — take the integrity quiz (every answer is explained)
    /rank — see this period's quiz rankings
    /stop — unsubscribe from reminders
    /lang — switch language (中文 / English)
    /cancel — cancel what is in progress
    /help — show this help

    You can also call 12388, the commissions' national reporting line, or visit 12388.gov.cn.
unsupported-message = Sorry, only text and buttons are understood here. Send /help to see what you can do.
unknown-command = There is no such command. Send /help to see the commands.
error-internal = Sorry, the system has a fault at the moment; nothing you already sent is lost. Please try again in a moment.
cmd-start = Sign up for integrity reminders
cmd-me = See or change your details
cmd-stop = Unsubscribe
cmd-lang = Switch language
cmd-cancel = Cancel what is in progress
cmd-help = Help
cmd-report = Report misconduct (anonymously if you wish)
cmd-status = Follow a report
button-report = 📝 Report misconduct
button-status = 🔎 Follow a report
your-chat-id = Your chat id is { $id }. If you are commission staff, give it to the administrator to receive alerts about new reports.
# The bottom menu (a reply keyboard): pressing a button sends its label, which works like the command.
menu-quiz = Quiz
menu-report = Report
menu-status = Status
menu-me = Me
menu-shown = The menu below is always there: "Quiz" for the integrity quiz, "Report" to report misconduct, "Status" to follow a report with its tracking code, "Me" for your details.
lang-unknown = There is no language "{ $language }". Send /lang zh (中文) or /lang en (English), or press a button below.
