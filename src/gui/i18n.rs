//! The user-interface strings in English, Chinese (simplified) and Vietnamese.
//!
//! Knowledge-base text comes from `crate::kb` in the same language; findings and verdicts come
//! from the core (English) and are shown as they are.

use crate::kb::Lang;

macro_rules! strings {
    ($($name:ident => ($en:expr, $zh:expr, $vi:expr)),* $(,)?) => {
        /// One UI string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum S { $($name),* }

        impl S {
            /// Every string, for the completeness test and the font subset script.
            pub const ALL: &'static [S] = &[$(S::$name),*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(S::$name => match lang {
                        Lang::En => $en,
                        Lang::Zh => $zh,
                        Lang::Vi => $vi,
                    }),*
                }
            }
        }
    };
}

strings! {
    AppTitle => ("SIP Doctor", "SIP 医生", "SIP Doctor"),
    Version => ("Version", "版本", "Phiên bản"),
    AboutText => ("Troubleshooting assistant for SIP authentication failures (401/407/403). Licence: MIT or Apache-2.0.", "SIP 认证失败（401/407/403）故障排查助手。许可证：MIT 或 Apache-2.0。", "Trợ lý chẩn đoán lỗi xác thực SIP (401/407/403). Giấy phép: MIT hoặc Apache-2.0."),
    NoFileDialog => ("No file dialog could be opened on this desktop: it needs xdg-desktop-portal or zenity (Debian/Ubuntu: sudo apt install zenity). Type the full path instead:", "此桌面无法打开文件对话框：需要 xdg-desktop-portal 或 zenity（Debian/Ubuntu：sudo apt install zenity）。请直接输入完整路径：", "Không mở được hộp thoại chọn tệp trên màn hình này: cần xdg-desktop-portal hoặc zenity (Debian/Ubuntu: sudo apt install zenity). Hãy nhập đường dẫn đầy đủ:"),
    PathLabel => ("Path", "路径", "Đường dẫn"),
    OpenButton => ("Open", "打开", "Mở"),
    SaveButton => ("Save", "保存", "Lưu"),
    SaveAs => ("Save as", "另存为", "Lưu thành"),
    OpenCapture => ("Open capture…", "打开抓包文件…", "Mở tệp bắt gói…"),
    OpenCaptureHint => ("Open a pcap or pcapng file (Ctrl+O)", "打开 pcap 或 pcapng 文件 (Ctrl+O)", "Mở tệp pcap hoặc pcapng (Ctrl+O)"),
    Recent => ("Recent", "最近", "Gần đây"),
    RecentHint => ("Captures opened before", "之前打开过的抓包", "Các tệp đã mở trước đây"),
    NoRecent => ("No recent captures", "没有最近的抓包", "Chưa có tệp nào"),
    ForgetRecent => ("Forget this list", "清空列表", "Xoá danh sách"),
    Language => ("Language", "语言", "Ngôn ngữ"),
    DarkTheme => ("Dark", "深色", "Tối"),
    LightTheme => ("Light", "浅色", "Sáng"),
    ThemeHint => ("Switch between light and dark theme", "切换浅色/深色主题", "Chuyển giao diện sáng/tối"),
    Help => ("Help", "帮助", "Trợ giúp"),
    HelpHint => ("Keyboard shortcuts and how to use the wizard (F1)", "快捷键与使用说明 (F1)", "Phím tắt và cách dùng (F1)"),
    HelpText => (
        "1. Drop a capture (pcap/pcapng) on the window, or press Ctrl+O.\n2. Follow the steps left to right: each shows what the capture proves and what to check by hand.\n3. The Summary gives the fix and exports a report for the ticket.\nEvery step also works without a capture.",
        "1. 把抓包文件 (pcap/pcapng) 拖到窗口上，或按 Ctrl+O。\n2. 从左到右按步骤检查：每一步显示抓包能证明什么，以及需要手动检查什么。\n3. “总结”给出修复方法，并可导出报告附到工单。\n没有抓包时每一步也可以单独使用。",
        "1. Kéo thả tệp bắt gói (pcap/pcapng) vào cửa sổ, hoặc nhấn Ctrl+O.\n2. Làm theo các bước từ trái sang phải: mỗi bước cho biết tệp chứng minh điều gì và cần kiểm tra gì bằng tay.\n3. Trang Tổng kết đưa ra cách sửa và xuất báo cáo cho phiếu hỗ trợ.\nMọi bước đều dùng được khi không có tệp bắt gói."
    ),
    Shortcuts => (
        "Ctrl+O open · Alt+←/→ or Ctrl+PgUp/PgDn previous/next step · Ctrl+E export report · Ctrl+F search accounts · F1 help · Esc close / all accounts",
        "Ctrl+O 打开 · Alt+←/→ 或 Ctrl+PgUp/PgDn 上一步/下一步 · Ctrl+E 导出报告 · Ctrl+F 搜索账号 · F1 帮助 · Esc 关闭 / 返回全部账号",
        "Ctrl+O mở · Alt+←/→ hoặc Ctrl+PgUp/PgDn bước trước/sau · Ctrl+E xuất báo cáo · Ctrl+F tìm tài khoản · F1 trợ giúp · Esc đóng / tất cả tài khoản"
    ),
    Close => ("Close", "关闭", "Đóng"),
    OtherServers => ("Other servers", "其他服务器", "Máy chủ khác"),
    DropHere => ("Drop the capture to analyse it", "松开鼠标以分析抓包", "Thả tệp để phân tích"),
    Analysing => ("Analysing", "正在分析", "Đang phân tích"),
    Cancel => ("Cancel", "取消", "Huỷ"),
    CancelHint => ("Stop reading this capture", "停止读取此抓包", "Dừng đọc tệp này"),
    Frames => ("frames", "帧", "khung"),
    SipMessages => ("SIP messages", "SIP 消息", "bản tin SIP"),
    Exchanges => ("Auth exchanges", "认证交互", "Trao đổi xác thực"),
    Accounts => ("Accounts", "账号", "Tài khoản"),
    AllAccounts => ("All accounts", "全部账号", "Tất cả tài khoản"),
    WithProblem => ("With a problem", "有问题", "Có lỗi"),
    Working => ("Working", "正常", "Hoạt động tốt"),
    Search => ("Search", "搜索", "Tìm"),
    SearchHint => ("user, auth user, IP, Call-ID or User-Agent (Ctrl+F)", "用户、认证用户、IP、Call-ID 或 User-Agent (Ctrl+F)", "người dùng, người dùng xác thực, IP, Call-ID hoặc User-Agent (Ctrl+F)"),
    ClearSearch => ("Clear the search", "清除搜索", "Xoá nội dung tìm"),
    AccountsShown => ("accounts shown", "个账号已显示", "tài khoản đang hiện"),
    SortHint => ("Sort by this column (click again to reverse, a third time for problems first)", "按此列排序（再点一次反向，第三次恢复问题优先）", "Sắp xếp theo cột này (bấm lần nữa để đảo chiều, lần thứ ba để đưa tài khoản lỗi lên đầu)"),
    NoAccountMatches => ("No account matches the search or filter.", "没有账号符合搜索或筛选条件。", "Không có tài khoản nào khớp với nội dung tìm hoặc bộ lọc."),
    PickAccountHint => ("Click to look at this account alone in every step", "点击后每一步只看这个账号", "Bấm để xem riêng tài khoản này ở mọi bước"),
    ColClient => ("Client", "客户端", "Máy khách"),
    AnyOutcome => ("any", "全部", "tất cả"),
    ColUser => ("User", "用户", "Người dùng"),
    ColAuthUser => ("Auth user", "认证用户", "Người dùng xác thực"),
    ColUserAgent => ("User-Agent", "用户代理", "User-Agent"),
    ColRootCause => ("Root cause", "根本原因", "Nguyên nhân gốc"),
    ColAttempts => ("Attempts", "尝试次数", "Số lần thử"),
    ColFirstSeen => ("First seen", "首次出现", "Thấy lần đầu"),
    ColLastSeen => ("Last seen", "最后出现", "Thấy lần cuối"),
    FocusedOn => ("Only this account:", "只看此账号：", "Chỉ tài khoản này:"),
    BackToAll => ("All accounts (Esc)", "返回全部账号 (Esc)", "Tất cả tài khoản (Esc)"),
    BackToAllHint => ("Show every account of the capture again (Esc or Backspace)", "重新显示抓包中的所有账号 (Esc 或 Backspace)", "Hiện lại mọi tài khoản trong tệp (Esc hoặc Backspace)"),
    AndMore => ("… and {n} more", "……还有 {n} 条", "… và {n} dòng nữa"),
    Dismiss => ("Dismiss", "关闭提示", "Bỏ qua"),
    CannotOpen => ("Cannot open the capture", "无法打开抓包", "Không mở được tệp"),
    Back => ("◀ Back", "◀ 上一步", "◀ Quay lại"),
    Next => ("Next ▶", "下一步 ▶", "Tiếp ▶"),
    BackHint => ("Previous step (Alt+Left)", "上一步 (Alt+←)", "Bước trước (Alt+←)"),
    NextHint => ("Next step (Alt+Right)", "下一步 (Alt+→)", "Bước sau (Alt+→)"),
    StepCapture => ("Capture", "抓包", "Bắt gói"),
    StepCredentials => ("Credentials", "凭据", "Thông tin đăng nhập"),
    StepFail2ban => ("fail2ban", "fail2ban 封禁", "fail2ban"),
    StepClock => ("Clock", "时钟", "Đồng hồ"),
    StepClient => ("Known-good client", "可靠客户端", "Máy khách chuẩn"),
    StepSummary => ("Summary", "总结", "Tổng kết"),
    VerdictOk => ("OK", "正常", "Ổn"),
    VerdictWarning => ("Note", "注意", "Lưu ý"),
    VerdictProblem => ("Problem", "有问题", "Có lỗi"),
    VerdictNotChecked => ("Not checked", "未检查", "Chưa kiểm tra"),
    NoCapture => ("No capture loaded", "尚未载入抓包", "Chưa mở tệp bắt gói"),
    NoCaptureHelp => (
        "Drop a pcap/pcapng file anywhere on this window, or use Open capture. Capture on the server with: sngrep -O /tmp/sip.pcap port 5060  (or tcpdump -i any -s0 -w /tmp/sip.pcap port 5060)",
        "把 pcap/pcapng 文件拖到窗口任意位置，或点击“打开抓包文件”。在服务器上抓包：sngrep -O /tmp/sip.pcap port 5060（或 tcpdump -i any -s0 -w /tmp/sip.pcap port 5060）",
        "Kéo thả tệp pcap/pcapng vào bất kỳ đâu trên cửa sổ, hoặc bấm Mở tệp. Bắt gói trên máy chủ: sngrep -O /tmp/sip.pcap port 5060 (hoặc tcpdump -i any -s0 -w /tmp/sip.pcap port 5060)"
    ),
    CaptureFile => ("Capture", "抓包文件", "Tệp"),
    NoExchanges => ("No REGISTER/INVITE exchange found in this capture.", "此抓包中没有找到 REGISTER/INVITE 交互。", "Không tìm thấy trao đổi REGISTER/INVITE nào trong tệp."),
    Ladder => ("Call flow", "呼叫流程", "Luồng bản tin"),
    LadderHint => ("Click an arrow to read the message", "点击箭头查看消息原文", "Bấm vào mũi tên để xem bản tin"),
    RawMessage => ("Message", "消息原文", "Bản tin"),
    NoMessageSelected => ("Click a message in the call flow to read it here.", "在呼叫流程中点击一条消息即可在此查看。", "Bấm vào một bản tin trong luồng để xem ở đây."),
    Frame => ("Frame", "帧", "Khung"),
    Findings => ("Findings", "诊断结果", "Kết luận"),
    NoFindings => ("No findings.", "没有发现问题。", "Không có kết luận nào."),
    Evidence => ("Evidence", "证据", "Bằng chứng"),
    EvidenceHint => ("Show this frame in the call flow", "在呼叫流程中显示此帧", "Hiện khung này trong luồng"),
    LikelyCauses => ("Likely causes", "可能原因", "Nguyên nhân có thể"),
    GuidedFix => ("Guided fix", "修复指引", "Hướng dẫn sửa"),
    OpenFix => ("Show the fix", "查看修复方法", "Xem cách sửa"),
    Client => ("client", "客户端", "máy khách"),
    Server => ("server", "服务器", "máy chủ"),
    Retransmission => ("retransmission", "重传", "truyền lại"),
    Outcome => ("Outcome", "结果", "Kết quả"),
    Time => ("Time", "时间", "Thời gian"),
    Copy => ("Copy", "复制", "Sao chép"),
    CopyHint => ("Copy to the clipboard", "复制到剪贴板", "Sao chép vào bộ nhớ tạm"),
    Copied => ("Copied to the clipboard", "已复制到剪贴板", "Đã sao chép"),
    // Step 2
    CredIntro => (
        "Type the password the server has for this account: the app recomputes the phone's digest and says whether it matches. The password stays in memory only and is wiped when you leave this step.",
        "输入服务器上该账号的密码：程序会重新计算话机的摘要并判断是否一致。密码只保存在内存中，离开此步骤即被清除。",
        "Nhập mật khẩu mà máy chủ lưu cho tài khoản này: ứng dụng tính lại digest của điện thoại và cho biết có khớp không. Mật khẩu chỉ nằm trong bộ nhớ và bị xoá khi rời bước này."
    ),
    AuthRequest => ("Authenticated request", "带认证的请求", "Yêu cầu có xác thực"),
    AuthRequestHint => ("Which authenticated request to check", "选择要检查的认证请求", "Chọn yêu cầu cần kiểm tra"),
    NoAuthRequests => ("The capture has no authenticated request (no Authorization / Proxy-Authorization header): the phone never answered a challenge. Use the digest calculator below.", "抓包中没有带认证的请求（没有 Authorization / Proxy-Authorization 头）：话机从未响应质询。可使用下面的摘要计算器。", "Tệp không có yêu cầu nào có xác thực (không có header Authorization / Proxy-Authorization): điện thoại chưa từng trả lời thách thức xác thực. Hãy dùng máy tính digest bên dưới."),
    CapturedValues => ("Captured values (read-only)", "抓包中的值（只读）", "Giá trị trong tệp (chỉ đọc)"),
    ChallengeFrom => ("answers the challenge in frame", "响应的质询位于帧", "trả lời thách thức xác thực ở khung"),
    Password => ("Password", "密码", "Mật khẩu"),
    Ha1 => ("HA1", "HA1", "HA1"),
    SecretKind => ("What you type", "输入类型", "Loại dữ liệu nhập"),
    PasswordHint => ("The account password as stored on the server (never saved, never shown in reports)", "服务器上保存的账号密码（不会保存，也不会出现在报告中）", "Mật khẩu tài khoản như trên máy chủ (không lưu, không đưa vào báo cáo)"),
    Ha1Hint => ("The HA1 hex string the server stores instead of the password", "服务器保存的 HA1 十六进制串（代替密码）", "Chuỗi HA1 dạng hex máy chủ lưu thay cho mật khẩu"),
    ShowPassword => ("Show", "显示", "Hiện"),
    ShowPasswordHint => ("Show or hide what you typed", "显示或隐藏输入内容", "Hiện hoặc ẩn nội dung đã nhập"),
    ExpectedUser => ("Account username on the server (optional)", "服务器上的账号用户名（可选）", "Tên tài khoản trên máy chủ (tuỳ chọn)"),
    ExpectedRealm => ("Realm the server uses (optional)", "服务器使用的 realm（可选）", "Realm máy chủ dùng (tuỳ chọn)"),
    Check => ("Check", "检查", "Kiểm tra"),
    CheckHint => ("Recompute every captured digest with this password (Enter)", "用此密码重新计算所有摘要 (Enter)", "Tính lại mọi digest với mật khẩu này (Enter)"),
    Clear => ("Clear", "清除", "Xoá"),
    ClearHint => ("Wipe the typed secret from memory", "从内存中清除输入的密码", "Xoá mật khẩu đã nhập khỏi bộ nhớ"),
    Matches => ("MATCHES", "一致", "KHỚP"),
    DoesNotMatch => ("DOES NOT MATCH", "不一致", "KHÔNG KHỚP"),
    MatchesLong => ("The phone used this password: the digest is right.", "话机使用的就是这个密码：摘要正确。", "Điện thoại dùng đúng mật khẩu này: digest đúng."),
    NoMatchLong => ("The phone did not use this password (or another input differs).", "话机使用的不是这个密码（或其他输入不一致）。", "Điện thoại không dùng mật khẩu này (hoặc một giá trị khác bị sai)."),
    Differs => ("differs", "不一致", "khác"),
    VerifiedCount => ("authenticated requests verify", "个认证请求验证通过", "yêu cầu xác thực khớp"),
    Calculator => ("Digest calculator", "摘要计算器", "Máy tính digest"),
    CalculatorIntro => ("Type every input by hand (from a log or a trace) to compute the response the phone should send.", "手动输入所有参数（来自日志或抓包），计算话机应发送的 response。", "Nhập tay mọi giá trị (từ log hoặc bản ghi) để tính response mà điện thoại phải gửi."),
    Compute => ("Compute", "计算", "Tính"),
    ComputeHint => ("Compute the digest response", "计算摘要 response", "Tính digest response"),
    ExpectedResponse => ("Response seen (optional, to compare)", "看到的 response（可选，用于比较）", "Response đã thấy (tuỳ chọn, để so sánh)"),
    ComputedResponse => ("Computed response", "计算出的 response", "Response tính được"),
    Method => ("Method", "方法", "Phương thức"),
    // Step 3
    F2bIntro => (
        "After a few failed logins fail2ban (or the PBX's own protection) bans the phone's address: the server then answers 403 or nothing at all, even with the right password.",
        "多次登录失败后，fail2ban（或 PBX 自带的防护）会封禁话机的地址：之后即使密码正确，服务器也只回复 403 或完全不回复。",
        "Sau vài lần đăng nhập sai, fail2ban (hoặc cơ chế bảo vệ của tổng đài) chặn địa chỉ của điện thoại: máy chủ trả 403 hoặc im lặng, kể cả khi mật khẩu đúng."
    ),
    FromCapture => ("What the capture shows", "抓包显示", "Tệp bắt gói cho thấy"),
    NothingInCapture => ("Nothing in the capture points to this.", "抓包中没有相关迹象。", "Tệp bắt gói không cho thấy điều này."),
    PasteF2b => ("Paste the output of: sudo fail2ban-client status <jail>", "粘贴以下命令的输出：sudo fail2ban-client status <jail>", "Dán kết quả của lệnh: sudo fail2ban-client status <jail>"),
    PasteHint => ("Paste the command output here", "在此粘贴命令输出", "Dán kết quả lệnh vào đây"),
    ClientAddress => ("Phone's address", "话机地址", "Địa chỉ điện thoại"),
    ClientAddressHint => ("The public IP address of the phone, as the server sees it", "服务器看到的话机公网 IP 地址", "Địa chỉ IP công khai của điện thoại mà máy chủ thấy"),
    Analyse => ("Check the output", "检查输出", "Kiểm tra"),
    AnalyseHint => ("Read the pasted output", "解析粘贴的输出", "Đọc kết quả đã dán"),
    Banned => ("BANNED", "已被封禁", "BỊ CHẶN"),
    NotBanned => ("Not banned", "未被封禁", "Không bị chặn"),
    UnbanCommand => ("Unban command", "解封命令", "Lệnh gỡ chặn"),
    Jail => ("Jail", "Jail", "Jail"),
    // Step 4
    ClockIntro => (
        "Digest nonces often carry the server's time. A server clock far off does not break the password check itself, but it makes nonces look expired (stale=true loops) and breaks TLS certificates and logs.",
        "摘要 nonce 常包含服务器时间。服务器时钟偏差大不会直接影响密码校验，但会使 nonce 看起来已过期（stale=true 循环），并影响 TLS 证书和日志。",
        "Nonce digest thường chứa thời gian của máy chủ. Đồng hồ máy chủ lệch nhiều không làm sai việc kiểm tra mật khẩu, nhưng khiến nonce bị coi là hết hạn (vòng lặp stale=true) và làm hỏng chứng chỉ TLS, log."
    ),
    ClockReadings => ("Clock readings in the capture", "抓包中的时间读数", "Các mốc thời gian trong tệp"),
    NoClockReadings => ("No Date header or time-stamped nonce in the capture.", "抓包中没有 Date 头或带时间戳的 nonce。", "Tệp không có header Date hay nonce chứa thời gian."),
    Source => ("Source", "来源", "Nguồn"),
    ServerTime => ("Server time", "服务器时间", "Giờ máy chủ"),
    CaptureTime => ("Capture time", "抓包时间", "Giờ bắt gói"),
    Skew => ("Skew", "偏差", "Độ lệch"),
    Side => ("Side", "来源端", "Phía"),
    ServerClock => ("Server clock (nonce time, Date of its responses)", "服务器时钟（nonce 时间、响应中的 Date）", "Đồng hồ máy chủ (thời gian trong nonce, Date trong phản hồi)"),
    PhoneClock => ("Phone clock (Date of its requests; not part of the digest)", "话机时钟（请求中的 Date；不参与摘要计算）", "Đồng hồ điện thoại (Date trong yêu cầu; không tham gia tính digest)"),
    PhoneTime => ("Phone time", "话机时间", "Giờ điện thoại"),
    PasteClock => ("Paste the output of: timedatectl, chronyc tracking or ntpq -p (run on the server)", "粘贴以下任一命令在服务器上的输出：timedatectl、chronyc tracking 或 ntpq -p", "Dán kết quả của một trong các lệnh (chạy trên máy chủ): timedatectl, chronyc tracking hoặc ntpq -p"),
    Synchronised => ("Synchronised", "已同步", "Đã đồng bộ"),
    NotSynchronised => ("NOT synchronised", "未同步", "CHƯA đồng bộ"),
    SyncUnknown => ("Synchronisation unknown", "同步状态未知", "Không rõ trạng thái đồng bộ"),
    Offset => ("Offset", "偏移", "Độ lệch"),
    // Step 5
    ClientIntro => (
        "Configure a known-good softphone (Linphone, Zoiper, baresip) with exactly the same account. If it registers, the phone's configuration is at fault; if it fails too, look at the server.",
        "用完全相同的账号配置一个可靠的软电话（Linphone、Zoiper、baresip）。如果它能注册，问题在话机配置；如果也失败，请检查服务器。",
        "Cấu hình một softphone chuẩn (Linphone, Zoiper, baresip) với đúng tài khoản đó. Nếu nó đăng ký được thì lỗi ở cấu hình điện thoại; nếu cũng lỗi thì xem lại máy chủ."
    ),
    Account => ("Account", "账号", "Tài khoản"),
    User => ("User / extension", "用户 / 分机号", "Người dùng / số máy lẻ"),
    AuthUser => ("Auth username (if different)", "认证用户名（如不同）", "Tên người dùng xác thực (nếu khác)"),
    Domain => ("SIP domain / server", "SIP 域名 / 服务器", "Tên miền SIP / máy chủ"),
    Proxy => ("Outbound proxy (optional)", "出站代理（可选）", "Proxy gửi đi (tuỳ chọn)"),
    Transport => ("Transport", "传输协议", "Giao thức"),
    SettingsFor => ("Settings for", "配置：", "Cấu hình cho"),
    GenerateSettings => ("Show client settings", "生成客户端配置", "Tạo cấu hình"),
    GenerateHint => ("Write the settings for Linphone, Zoiper, baresip and sipp", "生成 Linphone、Zoiper、baresip 和 sipp 的配置", "Tạo cấu hình cho Linphone, Zoiper, baresip và sipp"),
    SendTestRegister => ("Send test REGISTER", "发送测试 REGISTER", "Gửi REGISTER thử"),
    SendTestHint => ("Register once from this computer with the account above and the password typed here (then the test binding is removed)", "用上面的账号和此处输入的密码从本机注册一次（随后删除测试注册）", "Đăng ký một lần từ máy này với tài khoản trên và mật khẩu nhập ở đây (sau đó xoá đăng ký thử)"),
    ProbeRunning => ("Sending…", "正在发送…", "Đang gửi…"),
    Checklist => ("Phone settings that break authentication", "会导致认证失败的话机设置", "Các cài đặt điện thoại gây lỗi xác thực"),
    FromCaptureFilled => ("Filled in from the capture", "已根据抓包填写", "Đã điền từ tệp bắt gói"),
    // Summary
    Verdict => ("Verdict", "结论", "Kết luận"),
    RootCause => ("Root cause", "根本原因", "Nguyên nhân gốc"),
    FixSteps => ("How to fix it", "修复步骤", "Cách sửa"),
    HowToCheck => ("Check", "验证", "Kiểm tra"),
    DeadEnds => ("Dead ends (do not bother)", "无效做法（不必尝试）", "Ngõ cụt (đừng mất công)"),
    Sources => ("Sources", "参考资料", "Nguồn tham khảo"),
    ExportMd => ("Export report (Markdown)", "导出报告 (Markdown)", "Xuất báo cáo (Markdown)"),
    ExportHtml => ("Export report (HTML)", "导出报告 (HTML)", "Xuất báo cáo (HTML)"),
    ExportHint => ("Save a report for the ticket: findings, evidence frames, fix steps; never a password (Ctrl+E)", "保存报告附到工单：诊断结果、证据帧、修复步骤；绝不包含密码 (Ctrl+E)", "Lưu báo cáo cho phiếu hỗ trợ: kết luận, khung bằng chứng, các bước sửa; không bao giờ chứa mật khẩu (Ctrl+E)"),
    SavePackets => ("Save relevant packets as pcap", "将相关数据包另存为 pcap", "Lưu các gói liên quan thành pcap"),
    SavePacketsHint => ("Write only the frames of the auth exchanges, for escalation", "只保存认证交互的帧，便于升级处理", "Chỉ ghi các khung của trao đổi xác thực, để chuyển cấp trên"),
    Saved => ("Saved", "已保存", "Đã lưu"),
    SaveFailed => ("Could not save", "保存失败", "Không lưu được"),
    StepsOverview => ("Steps", "各步骤", "Các bước"),
    NoKbEntry => ("No knowledge-base entry for this finding.", "此诊断没有对应的知识库条目。", "Không có mục kiến thức cho kết luận này."),
    SummaryNoCapture => ("Load a capture to get a verdict. Every step can also be used by hand.", "载入抓包后即可得到结论。每个步骤也可以手动使用。", "Hãy mở tệp bắt gói để có kết luận. Mỗi bước cũng dùng được bằng tay."),
    Severity => ("Severity", "严重程度", "Mức độ"),
    Error => ("error", "错误", "lỗi"),
    Warning => ("warning", "警告", "cảnh báo"),
    Info => ("info", "信息", "thông tin"),
    Diagnosing => ("Diagnosing", "正在诊断", "Đang chẩn đoán"),
    Preparing => ("Preparing the accounts table and the steps", "正在准备账号表和各步骤", "Đang chuẩn bị bảng tài khoản và các bước"),
    ListingRequests => ("Listing the authenticated requests of the capture…", "正在列出抓包中带认证的请求…", "Đang liệt kê các yêu cầu có xác thực trong tệp…"),
}

/// A language's own name, for the selector.
pub fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Zh => "中文",
        Lang::Vi => "Tiếng Việt",
    }
}

pub const LANGS: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Vi];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_has_every_language() {
        for s in S::ALL {
            for lang in LANGS {
                assert!(!s.get(lang).trim().is_empty(), "{s:?} has no {lang:?} text");
            }
            // Chinese text must really be Chinese (catches a copied English string), except
            // for names and symbols that stay as they are.
            let zh = s.get(Lang::Zh);
            let keep = matches!(s, S::Ha1 | S::Jail | S::StepFail2ban);
            assert!(
                keep || zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{s:?} zh text is not Chinese: {zh}"
            );
        }
    }
}
