//! Every message of the core, in English, Chinese (simplified) and Vietnamese.
//!
//! Grouped by who states it: the capture rules, the answer rules, the outcome rules, the ban,
//! the clocks, the verification, the wizard's steps, the census, the verdict and reports, the
//! client settings. Parameters are `{name}`; English plurals `{name|one|other}`.

use super::Lang;

macro_rules! messages {
    ($($(#[$doc:meta])* $id:ident => ($en:literal, $zh:literal, $vi:literal)),* $(,)?) => {
        /// A message id of the core's catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $($(#[$doc])* $id),*
        }

        impl Msg {
            /// Every message, for the catalogue's tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$id),*];

            /// The template in `lang`.
            pub fn template(self, lang: Lang) -> &'static str {
                match self {
                    $(Msg::$id => match lang {
                        Lang::En => $en,
                        Lang::Zh => $zh,
                        Lang::Vi => $vi,
                    }),*
                }
            }
        }
    };
}

messages! {
    /// A literal that stands for itself (tests only build it; see `Text::from(&str)`).
    Verbatim => ("{text}", "{text}", "{text}"),
    /// "the server" where the server's kind is unknown.
    TheServer => ("the server", "服务器", "máy chủ"),
    /// A clock skew alone.
    Skew => ("{skew}", "{skew}", "{skew}"),
    NoneSent => ("(none sent)", "（未发送）", "(không gửi)"),
    NoAnswer => ("no answer", "无应答", "không có trả lời"),
    /// A finding about some accounts of many: "3 of 40 accounts: 2031, 2032, 2033. ..."
    WhoThen => ("{who}. {rest}", "{who}。{rest}", "{who}. {rest}"),
    Who => ("{n} of {total} {total|account|accounts}: {names}", "{total} 个账号中的 {n} 个：{names}", "{n} trên {total} tài khoản: {names}"),
    WhoMore => ("{n} of {total} {total|account|accounts}: {names} and {more} more", "{total} 个账号中的 {n} 个：{names} 等（另有 {more} 个）", "{n} trên {total} tài khoản: {names} và {more} tài khoản khác"),

    // ---- capture (diagnose/capture.rs)
    NoSipTitle => ("No SIP messages in this capture", "此抓包中没有 SIP 消息", "Tệp bắt gói không có bản tin SIP nào"),
    NoSipExpl => (
        "Nothing in the {frames} {frames|frame|frames} looks like SIP (checked by content, on every port). Skipped: {skipped}. Capture on the server's SIP interface without a port filter, or check that the phone really sends to this machine.",
        "{frames} 帧中没有任何内容像 SIP（按内容检查，覆盖所有端口）。已跳过：{skipped}。请在服务器的 SIP 网卡上抓包且不要加端口过滤，或确认话机确实发往这台机器。",
        "Không có gì trong {frames} khung trông giống SIP (kiểm tra theo nội dung, trên mọi cổng). Đã bỏ qua: {skipped}. Hãy bắt gói trên giao diện SIP của máy chủ, không lọc theo cổng, hoặc kiểm tra xem điện thoại có thật sự gửi tới máy này không."
    ),
    SkipCount => ("{n} × {reason}", "{n} × {reason}", "{n} × {reason}"),
    NoPackets => ("no packets at all", "完全没有数据包", "không có gói tin nào"),
    TlsTitle => ("SIP over TLS: encrypted, cannot inspect", "SIP over TLS：已加密，无法查看", "SIP qua TLS: đã mã hoá, không xem được"),
    TlsExpl => (
        "Part of the traffic is TLS (usually SIP on port 5061). Its REGISTERs and challenges cannot be read from the capture. Capture on the server before encryption (pjsip logger, sngrep on the server) or test the account over UDP/TCP for a moment.",
        "部分流量是 TLS（通常是 5061 端口上的 SIP），其中的 REGISTER 和质询无法从抓包中读出。请在服务器上加密之前抓取（pjsip logger，或在服务器上运行 sngrep），或临时用 UDP/TCP 测试该账号。",
        "Một phần lưu lượng là TLS (thường là SIP trên cổng 5061). Không đọc được các REGISTER và thách thức xác thực của nó từ tệp bắt gói. Hãy bắt trên máy chủ trước khi mã hoá (pjsip logger, sngrep trên máy chủ) hoặc thử tạm tài khoản qua UDP/TCP."
    ),
    EvTls => ("TLS stream {src} -> {dst}", "TLS 流 {src} -> {dst}", "luồng TLS {src} -> {dst}"),

    // ---- answers (diagnose/answers.rs)
    WrongHeaderTitle => ("A {status} challenge answered with the wrong header", "{status} 质询用错了头字段来应答", "Thách thức {status} được trả lời bằng sai header"),
    WrongHeaderExpl => (
        "RFC 3261 22.3: a 407 Proxy-Authenticate challenge is answered with Proxy-Authorization, a 401 WWW-Authenticate with Authorization. This request used {hdr}, so the server ignores the credentials and challenges again.",
        "RFC 3261 22.3：407 Proxy-Authenticate 质询要用 Proxy-Authorization 应答，401 WWW-Authenticate 要用 Authorization 应答。这个请求用了 {hdr}，所以服务器忽略其中的凭据并再次质询。",
        "RFC 3261 22.3: thách thức 407 Proxy-Authenticate phải được trả lời bằng Proxy-Authorization, thách thức 401 WWW-Authenticate bằng Authorization. Yêu cầu này dùng {hdr}, nên máy chủ bỏ qua thông tin xác thực và lại gửi thách thức."
    ),
    EvChallengeStatus => ("challenge: {status}", "质询：{status}", "thách thức: {status}"),
    EvAnsweredWith => ("answered with {hdr}", "应答使用 {hdr}", "trả lời bằng {hdr}"),
    RealmTitle => ("The phone answered for another realm", "话机按另一个认证域（realm）应答", "Điện thoại trả lời cho một realm khác"),
    RealmTitleAccount => ("An account answered for another realm", "有账号按另一个认证域（realm）应答", "Một tài khoản trả lời cho một realm khác"),
    RealmExpl => (
        "The digest is computed over the realm, so an answer for a realm other than the challenge's cannot match (RFC 7616 3.4). Set the phone's SIP domain/realm to the one the server sends.",
        "摘要是基于 realm 计算的，所以针对另一个 realm 的应答不可能与质询匹配（RFC 7616 3.4）。请把话机的 SIP 域名/认证域设成服务器发送的那个。",
        "Digest được tính trên realm, nên câu trả lời cho một realm khác với realm của thách thức không thể khớp (RFC 7616 3.4). Hãy đặt tên miền SIP/realm của điện thoại đúng như máy chủ gửi."
    ),
    EvChallengeRealm => ("challenge realm=\"{realm}\"", "质询 realm=\"{realm}\"", "thách thức realm=\"{realm}\""),
    EvHeaderRealm => ("{header} realm=\"{realm}\"", "{header} realm=\"{realm}\"", "{header} realm=\"{realm}\""),
    AlgoTitle => ("The phone used a digest algorithm the server did not offer", "话机使用了服务器未提供的摘要算法", "Điện thoại dùng thuật toán digest mà máy chủ không đề nghị"),
    AlgoTitleAccount => ("An account used a digest algorithm the server did not offer", "有账号使用了服务器未提供的摘要算法", "Một tài khoản dùng thuật toán digest mà máy chủ không đề nghị"),
    AlgoExpl => (
        "RFC 8760 / RFC 7616 3.7: the client must use an algorithm of one of the challenges. The server cannot check an answer in another algorithm. Update the phone's firmware or let the server offer MD5 as well.",
        "RFC 8760 / RFC 7616 3.7：客户端必须使用某个质询中给出的算法，服务器无法校验用其他算法计算的应答。请升级话机固件，或让服务器同时提供 MD5。",
        "RFC 8760 / RFC 7616 3.7: máy khách phải dùng thuật toán của một trong các thách thức. Máy chủ không kiểm tra được câu trả lời tính bằng thuật toán khác. Hãy cập nhật firmware điện thoại hoặc cho máy chủ đề nghị thêm MD5."
    ),
    EvOfferedAlgo => ("offered algorithm={algos}", "提供的 algorithm={algos}", "đề nghị algorithm={algos}"),
    EvUsedAlgo => ("used algorithm={used}, response of {len} hex digits", "使用 algorithm={used}，response 为 {len} 位十六进制", "dùng algorithm={used}, response dài {len} chữ số hex"),
    NonceAgeTitle => ("The phone answered a nonce older than the server keeps it", "话机应答的 nonce 已超过服务器的保留期", "Điện thoại trả lời một nonce cũ hơn thời gian máy chủ giữ nó"),
    NonceAgeTitleAccount => ("An account answered a nonce older than the server keeps it", "有账号应答的 nonce 已超过服务器的保留期", "Một tài khoản trả lời một nonce cũ hơn thời gian máy chủ giữ nó"),
    NonceAgeExpl => (
        "The answer came {age} s after the challenge; {server} nonces live {life} s by default, so the server treats it as stale and challenges again. A slow phone (waiting for a user or a lookup) or a delayed path causes this.",
        "应答在质询之后 {age} 秒才到；{server} 的 nonce 默认只有效 {life} 秒，所以服务器把它当作过期（stale）并再次质询。话机反应慢（等待用户操作或查询）或网络路径延迟都会造成这种情况。",
        "Câu trả lời đến {age} giây sau thách thức; nonce của {server} mặc định chỉ sống {life} giây, nên máy chủ coi nó là hết hạn (stale) và lại gửi thách thức. Nguyên nhân: điện thoại chậm (chờ người dùng hoặc tra cứu) hoặc đường truyền bị trễ."
    ),
    EvChallenge => ("challenge", "质询", "thách thức"),
    EvAnsweredLater => ("answered {age} s later", "{age} 秒后才应答", "trả lời sau {age} giây"),
    OldNonceTitle => ("The phone answered with an old nonce", "话机用旧的 nonce 应答", "Điện thoại trả lời bằng nonce cũ"),
    OldNonceTitleAccount => ("An account answered with an old nonce", "有账号用旧的 nonce 应答", "Một tài khoản trả lời bằng nonce cũ"),
    OldNonceExpl => (
        "The nonce in the request is not the one of the latest challenge. Servers refuse old nonces (and say stale=true when the password was right). Usually harmless when the phone then answers the new challenge.",
        "请求中的 nonce 不是最新质询的 nonce。服务器会拒绝旧 nonce（密码正确时会带 stale=true）。如果话机随后应答了新的质询，通常无害。",
        "Nonce trong yêu cầu không phải nonce của thách thức mới nhất. Máy chủ từ chối nonce cũ (và báo stale=true khi mật khẩu đúng). Thường vô hại nếu sau đó điện thoại trả lời thách thức mới."
    ),
    EvLatestNonce => ("latest challenge nonce=\"{nonce}\"", "最新质询 nonce=\"{nonce}\"", "thách thức mới nhất nonce=\"{nonce}\""),
    EvRequestNonce => ("request nonce=\"{nonce}\"", "请求 nonce=\"{nonce}\"", "yêu cầu nonce=\"{nonce}\""),
    UriTitle => ("Digest uri differs from the Request-URI", "摘要 uri 与 Request-URI 不同", "uri của digest khác Request-URI"),
    UriExpl => (
        "The digest is computed over the uri parameter as sent; servers that check it against the Request-URI (RFC 3261 22.4) refuse it. Often harmless, but it matters behind proxies that rewrite the Request-URI.",
        "摘要按发送的 uri 参数计算；会把它与 Request-URI 比对的服务器（RFC 3261 22.4）会拒绝。通常无害，但在会改写 Request-URI 的代理后面就有影响。",
        "Digest được tính trên tham số uri như đã gửi; máy chủ nào so nó với Request-URI (RFC 3261 22.4) sẽ từ chối. Thường vô hại, nhưng có ảnh hưởng khi đi sau proxy viết lại Request-URI."
    ),
    EvUri => ("Request-URI {ruri}; digest uri=\"{uri}\"", "Request-URI {ruri}；摘要 uri=\"{uri}\"", "Request-URI {ruri}; uri của digest=\"{uri}\""),
    UsernameTitle => ("Authentication username is not the account's user", "认证用户名不是该账号的用户", "Tên người dùng xác thực không phải người dùng của tài khoản"),
    UsernameExpl => (
        "The phone authenticates as one user while registering another. Many providers do this on purpose (auth ID vs number); it is a problem only when the server refuses, for example when it binds the auth user to the From/To user.",
        "话机以一个用户认证，却注册另一个用户。很多运营商是有意这样做的（认证 ID 与号码不同）；只有服务器拒绝时才是问题，例如服务器把认证用户与 From/To 用户绑定。",
        "Điện thoại xác thực bằng một người dùng trong khi đăng ký người dùng khác. Nhiều nhà cung cấp cố ý làm vậy (auth ID khác số máy); chỉ là lỗi khi máy chủ từ chối, ví dụ khi nó gắn người dùng xác thực với người dùng From/To."
    ),
    EvUsername => ("{header} username=\"{au}\"; From/To user \"{user}\"", "{header} username=\"{au}\"；From/To 用户 \"{user}\"", "{header} username=\"{au}\"; người dùng From/To \"{user}\""),
    StaleTitle => ("The server said the nonce was stale", "服务器表示 nonce 已过期（stale）", "Máy chủ báo nonce đã hết hạn (stale)"),
    StaleExpl => (
        "stale=true (RFC 7616 3.3) means the password was right but the nonce had expired; the phone should retry at once with the new nonce. If it keeps happening, the nonce lifetime is too short or the servers of a cluster do not share the nonce secret.",
        "stale=true（RFC 7616 3.3）表示密码正确但 nonce 已过期，话机应立即用新的 nonce 重试。如果反复出现，说明 nonce 有效期太短，或集群中的服务器没有共享 nonce 密钥。",
        "stale=true (RFC 7616 3.3) nghĩa là mật khẩu đúng nhưng nonce đã hết hạn; điện thoại phải thử lại ngay với nonce mới. Nếu cứ lặp lại, thời gian sống của nonce quá ngắn hoặc các máy chủ trong cụm không dùng chung khoá bí mật của nonce."
    ),
    EvStale => ("{status} with stale=true", "{status}，带 stale=true", "{status} với stale=true"),

    // ---- NAT (diagnose/nat.rs)
    NatTitle => ("The phone registers a private address from behind NAT", "话机在 NAT 后注册了一个私网地址", "Điện thoại đăng ký một địa chỉ riêng từ sau NAT"),
    NatTitleAccount => ("An account registers a private address from behind NAT", "有账号在 NAT 后注册了私网地址", "Một tài khoản đăng ký địa chỉ riêng từ sau NAT"),
    NatExpl => (
        "The Contact carries a private address while the packet came from another one. Registration can still succeed, but calls to the phone will fail unless the server fixes the contact (rport, force_rport/fix_nated_contact, PJSIP rewrite_contact) or a SIP ALG stops mangling it.",
        "Contact 中是一个私网地址，而报文来自另一个地址。注册仍可能成功，但打给这部话机的呼叫会失败，除非服务器修正 Contact（rport、force_rport/fix_nated_contact、PJSIP rewrite_contact），或者不再有 SIP ALG 篡改它。",
        "Contact mang một địa chỉ riêng trong khi gói tin đến từ địa chỉ khác. Đăng ký vẫn có thể thành công, nhưng cuộc gọi tới điện thoại sẽ thất bại trừ khi máy chủ sửa lại contact (rport, force_rport/fix_nated_contact, PJSIP rewrite_contact) hoặc SIP ALG thôi làm sai lệch nó."
    ),
    EvNat => ("Contact host {ip}, packet source {src}", "Contact 主机 {ip}，报文来源 {src}", "host của Contact {ip}, nguồn gói tin {src}"),

    // ---- outcome (diagnose/outcome.rs)
    AuthOkTitle => ("Challenged and accepted", "已质询并通过", "Đã thách thức và được chấp nhận"),
    AuthOkExpl => (
        "The server challenged (401/407, which is normal) and accepted the answer. A first 401 is part of every digest login, not an error.",
        "服务器发出质询（401/407，这是正常的）并接受了应答。第一个 401 是每次摘要登录的一部分，不是错误。",
        "Máy chủ gửi thách thức (401/407, điều bình thường) và chấp nhận câu trả lời. 401 đầu tiên là một phần của mọi lần đăng nhập digest, không phải lỗi."
    ),
    EvAuthOk => ("{method} {user} -> {status}", "{method} {user} -> {status}", "{method} {user} -> {status}"),
    EvAuthOkRecovered => ("{method} {user} -> {status} (recovered after refused attempts)", "{method} {user} -> {status}（在多次被拒后恢复）", "{method} {user} -> {status} (thành công sau các lần bị từ chối)"),
    CausePassword => ("the password on the phone differs from the server's (type it in step 2 to check)", "话机上的密码与服务器上的不同（在第 2 步输入密码即可核对）", "mật khẩu trên điện thoại khác mật khẩu trên máy chủ (nhập nó ở bước 2 để kiểm tra)"),
    CauseAuthUser => ("the authentication username is not the one the server knows", "认证用户名不是服务器所知道的那个", "tên người dùng xác thực không phải tên mà máy chủ biết"),
    CauseRealm => ("the realm/SIP domain on the phone differs from the server's", "话机上的认证域/SIP 域名与服务器的不同", "realm/tên miền SIP trên điện thoại khác của máy chủ"),
    CauseAsteriskUnknown => ("Asterisk PJSIP also answers unknown users with 401 ('No matching endpoint found' in its log)", "Asterisk PJSIP 对未知用户同样回 401（其日志中为 'No matching endpoint found'）", "Asterisk PJSIP cũng trả 401 cho người dùng không tồn tại ('No matching endpoint found' trong log)"),
    EvCredRefused => ("{method} with credentials (username \"{user}\") -> {status} again", "带凭据的 {method}（username \"{user}\"）-> 再次 {status}", "{method} có thông tin xác thực (username \"{user}\") -> lại {status}"),
    CredRejTitle => ("The server refused the phone's credentials", "服务器拒绝了话机的凭据", "Máy chủ từ chối thông tin xác thực của điện thoại"),
    CredRejTitleAccount => ("The server refused the credentials", "服务器拒绝了凭据", "Máy chủ từ chối thông tin xác thực"),
    CredRejExpl => (
        "The phone answered the challenge and {server} challenged it again: the credentials were checked and did not match. Without the password this cannot say which input is wrong; the most likely causes are listed in order.",
        "话机应答了质询，而{server}再次质询：凭据已被校验且不匹配。没有密码就无法判断是哪一项输入错误；下面按可能性依次列出原因。",
        "Điện thoại đã trả lời thách thức và {server} lại gửi thách thức: thông tin xác thực đã được kiểm tra và không khớp. Không có mật khẩu thì không biết được giá trị nào sai; các nguyên nhân có khả năng nhất được liệt kê theo thứ tự."
    ),
    UnansweredTitle => ("The phone never answered the challenge", "话机始终没有应答质询", "Điện thoại không bao giờ trả lời thách thức"),
    UnansweredTitleAccount => ("A challenge was never answered", "有质询始终没有被应答", "Có thách thức không bao giờ được trả lời"),
    UnansweredExpl => (
        "The server challenged with algorithm {algos} and the phone sent no answer. A phone does this when it cannot do the algorithm or qop (RFC 8760 SHA-256 on old firmware) or has no credentials for the realm.",
        "服务器用算法 {algos} 发出质询，话机没有发送任何应答。话机不支持该算法或 qop（旧固件不支持 RFC 8760 的 SHA-256），或者没有该认证域的凭据时就会这样。",
        "Máy chủ gửi thách thức với thuật toán {algos} và điện thoại không trả lời. Điện thoại làm vậy khi không hỗ trợ thuật toán hoặc qop (SHA-256 của RFC 8760 trên firmware cũ) hoặc không có thông tin xác thực cho realm đó."
    ),
    UnansweredExplWaited => (
        "The server challenged with algorithm {algos} and the phone sent no answer in the {waited} s that followed. A phone does this when it cannot do the algorithm or qop (RFC 8760 SHA-256 on old firmware) or has no credentials for the realm.",
        "服务器用算法 {algos} 发出质询，之后 {waited} 秒内话机没有发送任何应答。话机不支持该算法或 qop（旧固件不支持 RFC 8760 的 SHA-256），或者没有该认证域的凭据时就会这样。",
        "Máy chủ gửi thách thức với thuật toán {algos} và điện thoại không trả lời trong {waited} giây sau đó. Điện thoại làm vậy khi không hỗ trợ thuật toán hoặc qop (SHA-256 của RFC 8760 trên firmware cũ) hoặc không có thông tin xác thực cho realm đó."
    ),
    EvUnanswered => ("{status} challenge, algorithm={algos}, qop={qop}", "{status} 质询，algorithm={algos}，qop={qop}", "thách thức {status}, algorithm={algos}, qop={qop}"),
    QopNone => ("none", "无", "không có"),
    ForbiddenAfterTitle => ("403 Forbidden in answer to the authenticated request", "带认证的请求收到 403 Forbidden", "Yêu cầu có xác thực nhận 403 Forbidden"),
    ForbiddenAfterExplFs => (
        "The server checked the credentials and refused with 403. FreeSWITCH answers a wrong password with 403, so check the password first (step 2).",
        "服务器校验了凭据并以 403 拒绝。FreeSWITCH 对错误密码回 403，所以请先核对密码（第 2 步）。",
        "Máy chủ đã kiểm tra thông tin xác thực và từ chối bằng 403. FreeSWITCH trả 403 cho mật khẩu sai, nên hãy kiểm tra mật khẩu trước (bước 2)."
    ),
    ForbiddenAfterExpl => (
        "The server checked the credentials and refused with 403. Typical causes: a wrong password on servers that answer it with 403 (FreeSWITCH), the auth user bound to another From/To user, an account disabled or suspended by the provider.",
        "服务器校验了凭据并以 403 拒绝。常见原因：在对错误密码回 403 的服务器（FreeSWITCH）上密码错误；认证用户绑定在另一个 From/To 用户上；账号被运营商禁用或暂停。",
        "Máy chủ đã kiểm tra thông tin xác thực và từ chối bằng 403. Nguyên nhân thường gặp: sai mật khẩu trên máy chủ trả 403 cho lỗi đó (FreeSWITCH), người dùng xác thực bị gắn với người dùng From/To khác, tài khoản bị nhà cung cấp vô hiệu hoá hoặc tạm khoá."
    ),
    Ev403 => ("403 {reason}", "403 {reason}", "403 {reason}"),
    ForbiddenBeforeTitle => ("403 Forbidden before any challenge", "还未质询就收到 403 Forbidden", "403 Forbidden trước mọi thách thức"),
    ForbiddenBeforeExpl => (
        "The server refused without asking for a password: the credentials were never checked. Typical causes: the source address is not allowed (IP ACL, permissions), the address is banned, or the account is disabled.",
        "服务器没有要求密码就拒绝了：凭据根本没有被校验。常见原因：源地址不被允许（IP ACL、permissions 模块）、该地址已被封禁，或账号已被禁用。",
        "Máy chủ từ chối mà không hỏi mật khẩu: thông tin xác thực chưa hề được kiểm tra. Nguyên nhân thường gặp: địa chỉ nguồn không được phép (IP ACL, permissions), địa chỉ bị cấm, hoặc tài khoản bị vô hiệu hoá."
    ),
    EvMethodFrom => ("{method} from {client}", "{method} 来自 {client}", "{method} từ {client}"),
    EvNoResponse => ("{method} to {server} over {transport}: {sends} sent, no SIP response", "{method} 经 {transport} 发往 {server}：发送 {sends} 次，没有 SIP 响应", "{method} tới {server} qua {transport}: gửi {sends} lần, không có phản hồi SIP"),
    EvIcmp => ("ICMP {kind} from {reporter}", "来自 {reporter} 的 ICMP {kind}", "ICMP {kind} từ {reporter}"),
    UnreachableTitle => ("Nothing listens there: ICMP unreachable", "目标没有服务在监听：ICMP 不可达", "Không có dịch vụ nào lắng nghe: ICMP unreachable"),
    UnreachableExpl => (
        "The request went out and the network answered with ICMP destination unreachable: no SIP service on that address, port and transport, or a firewall rejecting it. This is not an authentication problem.",
        "请求已发出，网络回了 ICMP 目标不可达：该地址、端口和传输方式上没有 SIP 服务，或被防火墙拒绝。这不是认证问题。",
        "Yêu cầu đã đi ra và mạng trả lời ICMP destination unreachable: không có dịch vụ SIP trên địa chỉ, cổng và giao thức truyền đó, hoặc tường lửa từ chối nó. Đây không phải lỗi xác thực."
    ),
    NoAnswerTitle => ("No answer from the server", "服务器没有应答", "Máy chủ không trả lời"),
    NoAnswerExpl => (
        "The request was sent (and retransmitted) but no SIP response came back. Causes: wrong server address, port or transport, a firewall dropping it, a missing outbound proxy, or the server has banned this address.",
        "请求已发送（并重传），但没有任何 SIP 响应返回。原因：服务器地址、端口或传输方式错误，防火墙丢弃了报文，缺少出站代理，或服务器已封禁此地址。",
        "Yêu cầu đã được gửi (và gửi lại) nhưng không có phản hồi SIP nào. Nguyên nhân: sai địa chỉ, cổng hoặc giao thức truyền của máy chủ, tường lửa chặn, thiếu outbound proxy, hoặc máy chủ đã cấm địa chỉ này."
    ),

    // ---- brute force (diagnose/brute_force.rs)
    BfWhat403 => ("{method} (CSeq {cseq}) -> 403 {reason}", "{method} (CSeq {cseq}) -> 403 {reason}", "{method} (CSeq {cseq}) -> 403 {reason}"),
    BfWhatStatus => ("{method} (CSeq {cseq}) -> {status}", "{method} (CSeq {cseq}) -> {status}", "{method} (CSeq {cseq}) -> {status}"),
    BfWhatSilent => ("{method} (CSeq {cseq}) sent {n} {n|time|times}, no answer", "{method} (CSeq {cseq}) 发送 {n} 次，无应答", "{method} (CSeq {cseq}) gửi {n} lần, không có trả lời"),
    EvBfRefused => ("refused: {what}", "被拒：{what}", "bị từ chối: {what}"),
    EvBfThen => ("then: {what}", "随后：{what}", "sau đó: {what}"),
    BfTitle => ("{ip} looks blocked after {n} refused logins", "{ip} 在 {n} 次登录被拒后似乎已被封禁", "{ip} có vẻ bị chặn sau {n} lần đăng nhập bị từ chối"),
    BfExplSilence => (
        "After {n} refused authentication attempts from {ip}, the server at {server} stopped challenging it (silence). Silence after refused logins is what a firewall ban does (fail2ban, or a server's own counter set to drop, such as Kamailio pike): the packets are dropped before the SIP server answers. Unban the address in fail2ban (fail2ban-client status, then unbanip; see step 3) or on the server's counter, then fix the credentials before the phone retries, or it is banned again.",
        "来自 {ip} 的 {n} 次认证尝试被拒后，{server} 上的服务器不再对它发出质询（没有任何应答）。登录被拒后陷入沉默，正是防火墙封禁的表现（fail2ban，或服务器自身设为丢弃的计数器，例如 Kamailio pike）：报文在 SIP 服务器应答之前就被丢弃了。请在 fail2ban 中解封该地址（fail2ban-client status，然后 unbanip；见第 3 步）或清除服务器的计数器，然后在话机重试之前改正凭据，否则会再次被封。",
        "Sau {n} lần xác thực bị từ chối từ {ip}, máy chủ tại {server} không còn gửi thách thức cho nó nữa (im lặng). Im lặng sau các lần đăng nhập bị từ chối là dấu hiệu của lệnh cấm ở tường lửa (fail2ban, hoặc bộ đếm riêng của máy chủ đặt ở chế độ bỏ gói, như Kamailio pike): gói tin bị bỏ trước khi máy chủ SIP trả lời. Hãy gỡ cấm địa chỉ trong fail2ban (fail2ban-client status, rồi unbanip; xem bước 3) hoặc trên bộ đếm của máy chủ, rồi sửa thông tin xác thực trước khi điện thoại thử lại, nếu không nó sẽ lại bị cấm."
    ),
    BfExpl403 => (
        "After {n} refused authentication attempts from {ip}, the server at {server} stopped challenging it (answered 403 without a new challenge). A 403 after refused logins is the SIP server answering itself: its own ban counter (Kamailio htable/pike, Asterisk's or FreeSWITCH's guard), not fail2ban, which can only drop packets. Clear the counter on the server (for Kamailio: the htable entry of this address, or wait for its expiry), then fix the credentials before the phone retries, or it is banned again.",
        "来自 {ip} 的 {n} 次认证尝试被拒后，{server} 上的服务器不再对它发出质询（直接回 403，不再质询）。登录被拒后的 403 是 SIP 服务器自己在应答：是它自身的封禁计数器（Kamailio htable/pike、Asterisk 或 FreeSWITCH 的防护），而不是只能丢弃报文的 fail2ban。请清除服务器上的计数器（Kamailio：该地址的 htable 条目，或等待其过期），然后在话机重试之前改正凭据，否则会再次被封。",
        "Sau {n} lần xác thực bị từ chối từ {ip}, máy chủ tại {server} không còn gửi thách thức cho nó nữa (trả 403 mà không thách thức lại). 403 sau các lần đăng nhập bị từ chối là do chính máy chủ SIP trả lời: bộ đếm cấm riêng của nó (Kamailio htable/pike, cơ chế bảo vệ của Asterisk hoặc FreeSWITCH), không phải fail2ban, vốn chỉ bỏ gói tin. Hãy xoá bộ đếm trên máy chủ (với Kamailio: mục htable của địa chỉ này, hoặc chờ hết hạn), rồi sửa thông tin xác thực trước khi điện thoại thử lại, nếu không nó sẽ lại bị cấm."
    ),

    // ---- clocks (diagnose/clock.rs, diagnose/server.rs)
    ClockServerTitle => ("A clock differs from the capture's clock", "有时钟与抓包机器的时钟不一致", "Một đồng hồ lệch so với đồng hồ của máy bắt gói"),
    ClockServerExpl => (
        "The server's clock differs from the capture machine's by {skew}. The client's clock is not part of the digest (RFC 7616), so skew alone does not cause a 401. It does break TLS certificate checks, nonce checks between servers of a cluster (a nonce 'from the future' or already expired), and log correlation. Check NTP on the server (step 4).",
        "服务器的时钟与抓包机器相差 {skew}。客户端时钟不参与摘要计算（RFC 7616），所以单纯的时钟偏差不会导致 401。但它会破坏 TLS 证书校验、集群中服务器之间的 nonce 校验（nonce“来自未来”或已经过期）以及日志关联。请检查服务器上的 NTP（第 4 步）。",
        "Đồng hồ của máy chủ lệch {skew} so với máy bắt gói. Đồng hồ của máy khách không tham gia vào digest (RFC 7616), nên chỉ lệch giờ thì không gây ra 401. Nhưng nó làm hỏng việc kiểm tra chứng chỉ TLS, kiểm tra nonce giữa các máy chủ trong cụm (nonce 'từ tương lai' hoặc đã hết hạn) và việc đối chiếu log. Hãy kiểm tra NTP trên máy chủ (bước 4)."
    ),
    ClockPhoneTitle => ("The phone's clock is off by {skew} (its Date header)", "话机时钟偏差 {skew}（见其 Date 头）", "Đồng hồ điện thoại lệch {skew} (theo header Date của nó)"),
    ClockPhoneTitleAccount => ("A client's clock is off by {skew} (its Date header)", "有客户端时钟偏差 {skew}（见其 Date 头）", "Đồng hồ của một máy khách lệch {skew} (theo header Date của nó)"),
    ClockBehind => ("{dur} behind", "慢 {dur}", "chậm {dur} so với"),
    ClockAhead => ("{dur} ahead of", "快 {dur}", "nhanh {dur} so với"),
    ClockAccepted => ("and this capture's requests were accepted: nothing on the server needs to change", "而且此抓包中的请求都已被接受：服务器上无需任何改动", "và các yêu cầu trong tệp này đều được chấp nhận: không cần thay đổi gì trên máy chủ"),
    /// Notes on a pasted clock status: the tool's own field, then its value as printed.
    ClockNoteNtpService => ("ntp service: {value}", "NTP 服务：{value}", "dịch vụ NTP: {value}"),
    ClockNoteNetworkTimeOn => ("network time on: {value}", "网络时间已开启：{value}", "bật giờ mạng: {value}"),
    ClockNoteTimesyncdActive => ("systemd-timesyncd.service active: {value}", "systemd-timesyncd.service 运行状态：{value}", "trạng thái systemd-timesyncd.service: {value}"),
    ClockNoteTimeZone => ("time zone: {value}", "时区：{value}", "múi giờ: {value}"),
    ClockNoteLeap => ("leap: {value}", "闰秒标志：{value}", "cờ giây nhuận: {value}"),
    ClockNoteLeapStatus => ("leap status: {value}", "闰秒状态：{value}", "trạng thái giây nhuận: {value}"),
    ClockNoteLeapIndicator => ("leap indicator: {value}", "闰秒指示：{value}", "chỉ báo giây nhuận: {value}"),
    ClockNoteLastSync => ("last successful sync: {value}", "上次成功同步：{value}", "lần đồng bộ thành công gần nhất: {value}"),
    ClockNoteUncertainty => ("uncertainty +/- {value} s", "误差 ± {value} 秒", "sai số ± {value} giây"),
    ClockNoteNtpdNoAssociations => ("ntpd has no servers configured (no associations)", "ntpd 没有配置任何服务器（无关联）", "ntpd chưa cấu hình máy chủ nào (không có liên kết)"),
    ClockNotePeers => ("{n} peer(s) listed", "列出了 {n} 个对端", "có {n} máy ngang hàng trong danh sách"),
    ClockNotePeersNoSystemPeer => ("{n} peer(s) listed, none marked '*' (system peer): ntpd has not selected a source", "列出了 {n} 个对端，没有一个标记为 '*'（系统对端）：ntpd 尚未选定时间源", "có {n} máy ngang hàng, không máy nào được đánh dấu '*' (máy ngang hàng hệ thống): ntpd chưa chọn nguồn thời gian"),
    ClockNoteW32tmError => ("w32tm reported an error: {line}", "w32tm 报告了错误：{line}", "w32tm báo lỗi: {line}"),
    ClockNoteNetworkTimeOff => ("automatic time (Network Time) is off", "自动时间（网络时间）已关闭", "giờ tự động (Network Time) đang tắt"),
    ClockNoteNetworkTimeOnUnproven => ("Network Time is on: automatic sync is enabled, which does not prove the clock is right now; run `sntp <server>` to measure the offset", "网络时间已开启：已启用自动同步，但这不能证明时钟此刻准确；运行 `sntp <server>` 测量偏差", "Network Time đang bật: đồng bộ tự động đã bật, nhưng điều đó không chứng minh đồng hồ đang đúng; chạy `sntp <server>` để đo độ lệch"),
    /// A paste longer than what is read.
    PasteLinesLeftOut => ("{over} line(s) past the first {max} not read, {long} line(s) longer than {bytes} bytes skipped", "前 {max} 行之后的 {over} 行未读取，{long} 行超过 {bytes} 字节已跳过", "{over} dòng sau {max} dòng đầu không được đọc, {long} dòng dài hơn {bytes} byte bị bỏ qua"),
    ClockNotRefusal => ("so it is not what the server refuses", "所以这不是服务器拒绝的原因", "nên đây không phải lý do máy chủ từ chối"),
    ClockPhoneExpl => (
        "The phone sends a Date header {offset} the capture machine's clock. The phone's clock is not part of the digest (RFC 7616), so this does not cause a 401, {outcome}. Set the phone's time (its NTP server or time zone setting): a wrong phone clock breaks its TLS certificate checks and makes its logs hard to correlate.",
        "话机发送的 Date 头比抓包机器的时钟{offset}。话机时钟不参与摘要计算（RFC 7616），因此不会导致 401，{outcome}。请校正话机时间（其 NTP 服务器或时区设置）：话机时钟错误会破坏它的 TLS 证书校验，并使日志难以关联。",
        "Điện thoại gửi header Date {offset} đồng hồ của máy bắt gói. Đồng hồ điện thoại không tham gia vào digest (RFC 7616), nên điều này không gây ra 401, {outcome}. Hãy chỉnh giờ điện thoại (máy chủ NTP hoặc múi giờ của nó): đồng hồ sai làm hỏng việc kiểm tra chứng chỉ TLS của điện thoại và khiến log khó đối chiếu."
    ),
    SrcDateHeader => ("Date header", "Date 头", "header Date"),
    SrcNonce => ("nonce ({server})", "nonce（{server}）", "nonce ({server})"),
    EvClockAhead => ("{source} in frame {frame}: {value} (capture time {time}, ahead by {dur})", "{source}（帧 {frame}）：{value}（抓包时间 {time}，快 {dur}）", "{source} ở khung {frame}: {value} (giờ bắt gói {time}, nhanh {dur})"),
    EvClockBehind => ("{source} in frame {frame}: {value} (capture time {time}, behind by {dur})", "{source}（帧 {frame}）：{value}（抓包时间 {time}，慢 {dur}）", "{source} ở khung {frame}: {value} (giờ bắt gói {time}, chậm {dur})"),

    // ---- verification (diagnose/verification.rs)
    VerPasswordTitle => ("The phone uses a different password", "话机使用的密码不同", "Điện thoại dùng mật khẩu khác"),
    VerWhitespaceTitle => ("The phone's password has an extra or missing space", "话机的密码多了或少了空格", "Mật khẩu của điện thoại thừa hoặc thiếu dấu cách"),
    VerCaseTitle => ("The phone's password differs in letter case", "话机的密码大小写不同", "Mật khẩu của điện thoại khác chữ hoa/chữ thường"),
    VerRealmTitle => ("The digest was computed for another realm", "摘要是按另一个认证域（realm）计算的", "Digest được tính cho một realm khác"),
    VerUsernameTitle => ("The digest was computed for another username", "摘要是按另一个用户名计算的", "Digest được tính cho một tên người dùng khác"),
    VerUriTitle => ("The digest was computed over another uri", "摘要是按另一个 uri 计算的", "Digest được tính trên một uri khác"),
    VerAlgoTitle => ("The digest was computed with another algorithm", "摘要是用另一种算法计算的", "Digest được tính bằng thuật toán khác"),
    VerNonceTitle => ("The digest answers an old nonce", "摘要应答的是旧的 nonce", "Digest trả lời một nonce cũ"),
    VerPasswordTitleAccount => ("The password differs from the one you typed", "密码与您输入的不同", "Mật khẩu khác với mật khẩu bạn nhập"),
    VerWhitespaceTitleAccount => ("The password has an extra or missing space", "密码多了或少了空格", "Mật khẩu thừa hoặc thiếu dấu cách"),
    VerCaseTitleAccount => ("The password differs in letter case", "密码大小写不同", "Mật khẩu khác chữ hoa/chữ thường"),
    VerNoMatchTitleAccount => ("The digest does not match what you typed", "摘要与您输入的不匹配", "Digest không khớp với giá trị bạn nhập"),
    VerNoMatchTitle => ("The phone's digest does not match what you typed", "话机的摘要与您输入的不匹配", "Digest của điện thoại không khớp với giá trị bạn nhập"),
    AsteriskUnknownTitle => ("{server} does not know auth user {who} (or refuses it)", "{server} 不认识认证用户 {who}（或拒绝了它）", "{server} không biết người dùng xác thực {who} (hoặc từ chối nó)"),
    AsteriskUnknownExpl => (
        "The password you typed reproduces the phone's digest, and {server} still answers 401. Asterisk answers an unknown user with 401 too (by design, so that user names cannot be guessed), so this server most likely does not know auth user {who}, or refuses it: check that the endpoint and its auth section exist (pjsip show endpoint / pjsip show auth) and that the auth username matches what the phone sends ({who}), then that the password stored there is the one you typed.",
        "您输入的密码能重现话机的摘要，但 {server} 仍然回 401。Asterisk 对未知用户同样回 401（这是有意设计，防止用户名被猜出），所以这台服务器很可能不认识认证用户 {who}，或拒绝了它：请检查 endpoint 及其 auth 配置段是否存在（pjsip show endpoint / pjsip show auth），认证用户名是否与话机发送的一致（{who}），再检查其中保存的密码是否就是您输入的那个。",
        "Mật khẩu bạn nhập tái tạo đúng digest của điện thoại, vậy mà {server} vẫn trả 401. Asterisk cũng trả 401 cho người dùng không tồn tại (cố ý, để không đoán được tên người dùng), nên rất có thể máy chủ này không biết người dùng xác thực {who}, hoặc từ chối nó: hãy kiểm tra endpoint và phần auth của nó có tồn tại không (pjsip show endpoint / pjsip show auth), tên người dùng xác thực có khớp với giá trị điện thoại gửi không ({who}), rồi mật khẩu lưu ở đó có đúng là mật khẩu bạn đã nhập không."
    ),
    ServerRefusesTitle => ("The password is right, yet the server refuses", "密码正确，但服务器仍然拒绝", "Mật khẩu đúng nhưng máy chủ vẫn từ chối"),
    ServerRefusesExpl => (
        "The password you typed reproduces the phone's digest exactly, so the phone is sending the right password. The server refuses it anyway: look at the server's account (stored HA1 computed for another realm, auth user bound to another account, account disabled).",
        "您输入的密码能完全重现话机的摘要，说明话机发送的密码是正确的。服务器仍然拒绝：请检查服务器上的账号（保存的 HA1 是按另一个认证域计算的、认证用户绑定在另一个账号上、账号已禁用）。",
        "Mật khẩu bạn nhập tái tạo chính xác digest của điện thoại, nên điện thoại đang gửi đúng mật khẩu. Máy chủ vẫn từ chối: hãy xem tài khoản trên máy chủ (HA1 đã lưu được tính cho realm khác, người dùng xác thực bị gắn với tài khoản khác, tài khoản bị vô hiệu hoá)."
    ),
    EvVerMatch => ("response matches the typed secret -> {status}", "response 与输入的密钥匹配 -> {status}", "response khớp với bí mật đã nhập -> {status}"),
    EvVerMatchDiffers => ("response matches the typed secret; {differs} differs -> {status}", "response 与输入的密钥匹配；{differs} 不同 -> {status}", "response khớp với bí mật đã nhập; {differs} khác -> {status}"),
    EvVerNoMatchDiffers => ("response does not match; differs: {differs} -> {status}", "response 不匹配；不同之处：{differs} -> {status}", "response không khớp; khác ở: {differs} -> {status}"),
    EvVerNoMatch => ("response does not match -> {status}", "response 不匹配 -> {status}", "response không khớp -> {status}"),

    // ---- verify.rs: explanations
    VMatch => ("The phone's response matches this {what}: the {what} is right.", "话机的 response 与这个{what}匹配：{what}正确。", "Response của điện thoại khớp với {what} này: {what} đúng."),
    VMatchBut => ("The phone's response matches this {what}: the {what} is right, but {why}", "话机的 response 与这个{what}匹配：{what}正确，但{why}", "Response của điện thoại khớp với {what} này: {what} đúng, nhưng {why}"),
    VWhatPassword => ("password", "密码", "mật khẩu"),
    VWhatHa1 => ("HA1", "HA1", "HA1"),
    VOneChange => ("The phone's response does not match as sent, but it does when one input is changed: {why}", "按原样发送的值计算，话机的 response 不匹配；但只改一个输入就匹配了：{why}", "Response của điện thoại không khớp với giá trị đã gửi, nhưng khớp khi đổi một giá trị: {why}"),
    VNoVariant => ("The phone's response matches no variation: the password (or HA1) the phone uses is not the one you typed.", "话机的 response 与任何变体都不匹配：话机使用的密码（或 HA1）不是您输入的那个。", "Response của điện thoại không khớp với biến thể nào: mật khẩu (hoặc HA1) điện thoại dùng không phải giá trị bạn nhập."),
    VNoVariantHa1 => ("The phone's response matches no variation: the password (or HA1) the phone uses is not the one you typed. Note: an HA1 is tied to one realm, and the phone's realm differs; check the realm too, or type the password instead of the HA1.", "话机的 response 与任何变体都不匹配：话机使用的密码（或 HA1）不是您输入的那个。注意：HA1 与某个认证域绑定，而话机的认证域不同；请同时检查认证域，或改为输入密码而不是 HA1。", "Response của điện thoại không khớp với biến thể nào: mật khẩu (hoặc HA1) điện thoại dùng không phải giá trị bạn nhập. Lưu ý: HA1 gắn với một realm, mà realm của điện thoại lại khác; hãy kiểm tra cả realm, hoặc nhập mật khẩu thay cho HA1."),
    VNotDigest => ("The {header} header uses the {scheme} scheme, not Digest: there is no digest to check.", "{header} 头使用的是 {scheme} 方案，不是 Digest：没有可校验的摘要。", "Header {header} dùng cơ chế {scheme}, không phải Digest: không có digest để kiểm tra."),
    VIncomplete => ("The {header} header lacks {missing}: the phone sent incomplete credentials, so the server cannot check them and neither can we.", "{header} 头缺少 {missing}：话机发送的凭据不完整，服务器无法校验，本工具也无法校验。", "Header {header} thiếu {missing}: điện thoại gửi thông tin xác thực không đầy đủ, nên máy chủ không kiểm tra được và công cụ này cũng vậy."),
    VUnsupportedAlgo => ("The phone answered with algorithm {algo}, which this check does not support (MD5, SHA-256 and SHA-512-256, with or without -sess, are supported). Nothing was guessed.", "话机用算法 {algo} 应答，本检查不支持该算法（支持 MD5、SHA-256 和 SHA-512-256，带或不带 -sess）。没有做任何猜测。", "Điện thoại trả lời bằng thuật toán {algo}, mà phép kiểm tra này không hỗ trợ (hỗ trợ MD5, SHA-256 và SHA-512-256, có hoặc không có -sess). Không đoán gì cả."),
    VBadQop => ("The phone sent qop={qop}, which is neither auth nor auth-int: the server cannot check it.", "话机发送了 qop={qop}，既不是 auth 也不是 auth-int：服务器无法校验。", "Điện thoại gửi qop={qop}, không phải auth cũng không phải auth-int: máy chủ không kiểm tra được."),
    VUserhashUnknown => ("The phone hides its user name (userhash=true) and none of the known names ({known}) hashes to it: the phone uses another auth user name. Type the expected user name to check again.", "话机隐藏了用户名（userhash=true），已知的用户名（{known}）的哈希都与之不符：话机使用了另一个认证用户名。请输入预期的用户名再检查一次。", "Điện thoại ẩn tên người dùng (userhash=true) và không tên nào đã biết ({known}) băm ra giá trị đó: điện thoại dùng tên người dùng xác thực khác. Hãy nhập tên người dùng mong đợi để kiểm tra lại."),
    VNoneKnown => ("none known", "无已知用户名", "không biết tên nào"),
    // verify.rs: detail lines
    DUserhashOf => ("username in {header} is hashed (userhash=true): it is the hash of {user}", "{header} 中的 username 是哈希（userhash=true）：它是 {user} 的哈希", "username trong {header} đã được băm (userhash=true): đó là giá trị băm của {user}"),
    DUsernameIn => ("username in {header}: {user}", "{header} 中的 username：{user}", "username trong {header}: {user}"),
    DUserhashNone => ("username in {header} is hashed (userhash=true) and matches none of the known names; the HA1 check does not need it", "{header} 中的 username 是哈希（userhash=true），与任何已知用户名都不符；HA1 校验不需要它", "username trong {header} đã được băm (userhash=true) và không khớp tên nào đã biết; kiểm tra HA1 không cần đến nó"),
    DQopNoCounts => ("qop in {header}: {qop}, but nc or cnonce is missing (RFC 2617 3.2.2 requires both with qop)", "{header} 中的 qop：{qop}，但缺少 nc 或 cnonce（RFC 2617 3.2.2 要求带 qop 时两者都要有）", "qop trong {header}: {qop}, nhưng thiếu nc hoặc cnonce (RFC 2617 3.2.2 yêu cầu cả hai khi có qop)"),
    DNoChallenge => ("no challenge before this request in the same call: the nonce {nonce} comes from outside the capture", "同一呼叫中此请求之前没有质询：nonce {nonce} 来自抓包之外", "không có thách thức nào trước yêu cầu này trong cùng cuộc gọi: nonce {nonce} đến từ ngoài tệp bắt gói"),
    DRealmVsChallenge => ("realm in {header}: {realm}; realm of the challenge (frame {frame}): {other}", "{header} 中的 realm：{realm}；质询（帧 {frame}）的 realm：{other}", "realm trong {header}: {realm}; realm của thách thức (khung {frame}): {other}"),
    DOlderNonce => ("nonce in {header}: {nonce} is the nonce of an older challenge (frame {old}); the latest challenge (frame {frame}) sent {other}", "{header} 中的 nonce：{nonce} 是较早质询（帧 {old}）的 nonce；最新质询（帧 {frame}）发送的是 {other}", "nonce trong {header}: {nonce} là nonce của một thách thức cũ hơn (khung {old}); thách thức mới nhất (khung {frame}) gửi {other}"),
    DNonceVsChallenge => ("nonce in {header}: {nonce}; nonce of the challenge (frame {frame}): {other}", "{header} 中的 nonce：{nonce}；质询（帧 {frame}）的 nonce：{other}", "nonce trong {header}: {nonce}; nonce của thách thức (khung {frame}): {other}"),
    DStale => ("the challenge (frame {frame}) says stale=true: the previous nonce had expired", "质询（帧 {frame}）带 stale=true：之前的 nonce 已过期", "thách thức (khung {frame}) báo stale=true: nonce trước đó đã hết hạn"),
    DAlgoVsChallenge => ("algorithm in {header}: {algo}; algorithm of the challenge (frame {frame}): {other}", "{header} 中的 algorithm：{algo}；质询（帧 {frame}）的 algorithm：{other}", "algorithm trong {header}: {algo}; algorithm của thách thức (khung {frame}): {other}"),
    DAlgoUnsupported => ("the challenge (frame {frame}) offers algorithm {algo}, which is not supported here", "质询（帧 {frame}）提供的算法 {algo} 在这里不受支持", "thách thức (khung {frame}) đề nghị thuật toán {algo}, mà ở đây không hỗ trợ"),
    DQopVsChallenge => ("qop in {header}: {qop}; the challenge (frame {frame}) offers {offered}", "{header} 中的 qop：{qop}；质询（帧 {frame}）提供的是 {offered}", "qop trong {header}: {qop}; thách thức (khung {frame}) đề nghị {offered}"),
    DNoQop => ("{header} has no qop although the challenge (frame {frame}) offers {offered}", "质询（帧 {frame}）提供了 {offered}，但 {header} 中没有 qop", "{header} không có qop dù thách thức (khung {frame}) đề nghị {offered}"),
    DRealmVsExpected => ("realm in {header}: {realm}; expected realm: {other}", "{header} 中的 realm：{realm}；预期的 realm：{other}", "realm trong {header}: {realm}; realm mong đợi: {other}"),
    DUserVsExpected => ("username in {header}: {user}; expected user name: {other}", "{header} 中的 username：{user}；预期的用户名：{other}", "username trong {header}: {user}; tên người dùng mong đợi: {other}"),
    DUserVsFromTo => ("username in {header}: {user}; user in {field}: {other}", "{header} 中的 username：{user}；{field} 中的用户：{other}", "username trong {header}: {user}; người dùng trong {field}: {other}"),
    DUriVsRuri => ("uri in {header}: {uri}; Request-URI: {ruri}", "{header} 中的 uri：{uri}；Request-URI：{ruri}", "uri trong {header}: {uri}; Request-URI: {ruri}"),
    DHa1Length => ("the HA1 typed has {len} characters; an {algo} HA1 has {want}", "输入的 HA1 有 {len} 个字符；{algo} 的 HA1 应为 {want} 个", "HA1 đã nhập có {len} ký tự; HA1 {algo} phải có {want}"),
    DResponseLength => ("response in {header} has {len} hex digits; {algo} gives {want}", "{header} 中的 response 有 {len} 位十六进制；{algo} 应为 {want} 位", "response trong {header} có {len} chữ số hex; {algo} cho ra {want}"),
    // verify.rs: the one input that makes it match
    SrcChallengeRealm => ("the realm of the challenge (frame {frame})", "质询（帧 {frame}）的 realm", "realm của thách thức (khung {frame})"),
    SrcExpectedRealm => ("the expected realm", "预期的 realm", "realm mong đợi"),
    SrcExpectedDomain => ("the expected domain", "预期的域名", "tên miền mong đợi"),
    SrcExpectedUser => ("the expected user name", "预期的用户名", "tên người dùng mong đợi"),
    SrcUserIn => ("the user in {field}", "{field} 中的用户", "người dùng trong {field}"),
    SrcLatestChallenge => ("the latest challenge (frame {frame})", "最新质询（帧 {frame}）", "thách thức mới nhất (khung {frame})"),
    SrcOlderChallenge => ("an older challenge (frame {frame})", "较早的质询（帧 {frame}）", "một thách thức cũ hơn (khung {frame})"),
    WhyRealm => ("the phone computed its response with realm {cand} ({src}) while its {header} names realm {realm}: the phone's realm setting is inconsistent.", "话机按 realm {cand}（{src}）计算 response，而它的 {header} 写的是 realm {realm}：话机的认证域设置前后不一致。", "điện thoại tính response với realm {cand} ({src}) trong khi {header} của nó ghi realm {realm}: thiết lập realm của điện thoại không nhất quán."),
    WhyUser => ("the phone computed its response with user name {cand} ({src}) while its {header} names user {user}: the auth user name is set wrongly.", "话机按用户名 {cand}（{src}）计算 response，而它的 {header} 写的是用户 {user}：认证用户名设置错误。", "điện thoại tính response với tên người dùng {cand} ({src}) trong khi {header} của nó ghi người dùng {user}: tên người dùng xác thực bị đặt sai."),
    WhyUri => ("the phone hashed the Request-URI {ruri} but put uri {uri} in the {header}: the digest uri must be exactly the one hashed.", "话机对 Request-URI {ruri} 做了哈希，却在 {header} 中填了 uri {uri}：摘要 uri 必须与参与哈希的完全一致。", "điện thoại băm Request-URI {ruri} nhưng lại ghi uri {uri} trong {header}: uri của digest phải đúng là giá trị đã băm."),
    WhyAlgo => ("the phone computed its response with {algo} although its {header} says {sent}.", "话机用 {algo} 计算 response，而它的 {header} 写的是 {sent}。", "điện thoại tính response bằng {algo} dù {header} của nó ghi {sent}."),
    WhyAlgoAsked => ("the phone computed its response with {algo} although its {header} says {sent} and the challenge (frame {frame}) asked for {asked}.", "话机用 {algo} 计算 response，而它的 {header} 写的是 {sent}，质询（帧 {frame}）要求的是 {asked}。", "điện thoại tính response bằng {algo} dù {header} của nó ghi {sent} và thách thức (khung {frame}) yêu cầu {asked}."),
    WhyNonce => ("the phone hashed the nonce of {src} but echoed another nonce in its {header}.", "话机对{src}的 nonce 做了哈希，却在 {header} 中回送了另一个 nonce。", "điện thoại băm nonce của {src} nhưng lại gửi lại một nonce khác trong {header}."),
    WhyQop => ("the phone computed its response {how} but its {header} says {says}.", "话机{how}计算 response，而它的 {header} 写的是 {says}。", "điện thoại tính response {how} nhưng {header} của nó ghi {says}."),
    QopWithout => ("without qop (the old RFC 2069 form)", "不带 qop（旧的 RFC 2069 形式）", "không có qop (dạng cũ của RFC 2069)"),
    QopWith => ("with qop={qop}", "按 qop={qop}", "với qop={qop}"),
    QopSaysNone => ("no qop", "没有 qop", "không có qop"),
    QopSays => ("qop={qop}", "qop={qop}", "qop={qop}"),
    WhyPassword => ("the phone's password is the one you typed {why}.", "话机的密码就是您输入的密码，只是{why}。", "mật khẩu của điện thoại chính là mật khẩu bạn nhập, nhưng {why}."),
    PwTrimmed => ("without the leading/trailing white space you typed", "去掉您输入的首尾空白", "bỏ khoảng trắng ở đầu/cuối mà bạn đã nhập"),
    PwTrimmedEnd => ("without the trailing white space you typed", "去掉您输入的末尾空白", "bỏ khoảng trắng ở cuối mà bạn đã nhập"),
    PwTrimmedStart => ("without the leading white space you typed", "去掉您输入的开头空白", "bỏ khoảng trắng ở đầu mà bạn đã nhập"),
    PwSpaceEnd => ("with a space added at the end", "末尾多一个空格", "thêm một dấu cách ở cuối"),
    PwSpaceStart => ("with a space added at the start", "开头多一个空格", "thêm một dấu cách ở đầu"),
    PwFirstCase => ("with the case of its first letter changed", "首字母大小写互换", "đổi hoa/thường chữ cái đầu"),
    PwCapsLock => ("but with Caps Lock on (the case of every letter swapped)", "开着 Caps Lock（所有字母大小写互换）", "đang bật Caps Lock (mọi chữ cái bị đảo hoa/thường)"),
    // verify.rs: why a verified response is refused
    RcRealmChallenge => ("the phone answered with realm {realm} while the server's challenge (frame {frame}) named realm {other}: the server checks against its own realm and refuses it. Set the phone's realm (or domain) to {other}.", "话机用 realm {realm} 应答，而服务器的质询（帧 {frame}）给出的是 realm {other}：服务器按自己的认证域校验并拒绝。请把话机的认证域（或域名）设为 {other}。", "điện thoại trả lời với realm {realm} trong khi thách thức của máy chủ (khung {frame}) ghi realm {other}: máy chủ kiểm tra theo realm của chính nó và từ chối. Hãy đặt realm (hoặc tên miền) của điện thoại là {other}."),
    RcRealmExpected => ("the phone uses realm {realm} while the server expects {other}.", "话机使用 realm {realm}，而服务器预期的是 {other}。", "điện thoại dùng realm {realm} trong khi máy chủ mong đợi {other}."),
    RcOldNonce => ("it answers an old challenge (frame {old}) instead of the latest (frame {latest}): the server treats that nonce as stale.", "它应答的是较早的质询（帧 {old}），而不是最新的（帧 {latest}）：服务器会把该 nonce 视为过期（stale）。", "nó trả lời một thách thức cũ (khung {old}) thay vì thách thức mới nhất (khung {latest}): máy chủ coi nonce đó là hết hạn (stale)."),
    RcAlgo => ("the phone used {algo} although the challenge (frame {frame}) asked for {offered}: the phone does not support (or is not set to use) {offered}.", "话机使用了 {algo}，而质询（帧 {frame}）要求的是 {offered}：话机不支持（或未设置使用）{offered}。", "điện thoại dùng {algo} dù thách thức (khung {frame}) yêu cầu {offered}: điện thoại không hỗ trợ (hoặc chưa được đặt dùng) {offered}."),
    RcUser => ("the phone authenticates as another user than expected ({user}).", "话机认证时用的不是预期的用户（{user}）。", "điện thoại xác thực bằng người dùng khác với người dùng mong đợi ({user})."),
    RcForeignNonce => ("the nonce it echoes is not the one of the challenge (frame {frame}) before it; if the server answers stale=true, the phone reuses an expired nonce.", "它回送的 nonce 不是之前质询（帧 {frame}）的 nonce；如果服务器回 stale=true，说明话机在重用已过期的 nonce。", "nonce nó gửi lại không phải nonce của thách thức (khung {frame}) trước đó; nếu máy chủ trả stale=true, điện thoại đang dùng lại một nonce đã hết hạn."),
    RcFromTo => ("its auth user name differs from the user in From/To; if the server refuses it, check the auth user name.", "它的认证用户名与 From/To 中的用户不同；如果服务器拒绝，请检查认证用户名。", "tên người dùng xác thực của nó khác người dùng trong From/To; nếu máy chủ từ chối, hãy kiểm tra tên người dùng xác thực."),

    // ---- a pasted clock status (checks/clock.rs)
    ClkHead => ("{format}: {sync}", "{format}：{sync}", "{format}: {sync}"),
    ClkSynced => ("synchronised", "已同步", "đã đồng bộ"),
    ClkNotSynced => ("NOT synchronised", "未同步", "CHƯA đồng bộ"),
    ClkSyncUnknown => ("synchronisation unknown", "同步状态未知", "không rõ trạng thái đồng bộ"),
    ClkAhead => (", this clock is {ms} ahead of the reference", "，此时钟比参考时钟快 {ms}", ", đồng hồ này nhanh {ms} so với nguồn tham chiếu"),
    ClkBehind => (", this clock is {ms} behind the reference", "，此时钟比参考时钟慢 {ms}", ", đồng hồ này chậm {ms} so với nguồn tham chiếu"),
    ClkBreaks => (" (more than 5 minutes: digest nonces will be rejected)", "（超过 5 分钟：摘要的 nonce 会被拒绝）", " (quá 5 phút: nonce của digest sẽ bị từ chối)"),
    ClkSource => (", source {src}", "，时间源 {src}", ", nguồn {src}"),

    // ---- the wizard's steps (diagnose/steps.rs)
    StepNameCapture => ("Capture", "抓包", "Bắt gói"),
    StepNameCredentials => ("Credentials", "凭据", "Thông tin đăng nhập"),
    StepNameFail2ban => ("fail2ban / brute force", "fail2ban / 暴力破解", "fail2ban / dò mật khẩu"),
    StepNameClock => ("Clock", "时钟", "Đồng hồ"),
    StepNameClient => ("Known-good client", "可靠客户端", "Máy khách chuẩn"),
    StepCaptureOk => ("{messages} SIP {messages|message|messages}, {exchanges} auth {exchanges|exchange|exchanges}", "{messages} 条 SIP 消息，{exchanges} 个认证交互", "{messages} bản tin SIP, {exchanges} trao đổi xác thực"),
    StepCredentialsOk => ("the typed password reproduces every digest", "输入的密码能重现每一个摘要", "mật khẩu đã nhập tái tạo đúng mọi digest"),
    StepBanOk => ("no sign of a ban in the capture", "抓包中没有封禁的迹象", "không có dấu hiệu bị cấm trong tệp bắt gói"),
    StepClockOk => ("server clock readings agree with the capture", "服务器时钟读数与抓包一致", "các giá trị đồng hồ máy chủ khớp với tệp bắt gói"),
    StepCredentialsTodo => ("type the password (or HA1) to check the digests", "输入密码（或 HA1）以校验摘要", "nhập mật khẩu (hoặc HA1) để kiểm tra các digest"),
    StepClientTodo => ("run a test REGISTER from this app", "从本程序发起一次测试 REGISTER", "chạy thử một REGISTER từ ứng dụng này"),
    StepNothing => ("nothing in the capture to check", "抓包中没有可检查的内容", "tệp bắt gói không có gì để kiểm tra"),
    StepProblemOf => ("{title} ({n} of {total} accounts)", "{title}（{total} 个账号中的 {n} 个）", "{title} ({n} trên {total} tài khoản)"),

    // ---- the census (accounts.rs)
    CensusAllWork => ("all {total} accounts work", "全部 {total} 个账号正常", "cả {total} tài khoản đều hoạt động"),
    CensusFail => ("{failing} of {total} accounts {failing|fails|fail}", "{total} 个账号中有 {failing} 个失败", "{failing} trên {total} tài khoản lỗi"),
    CensusWhy => ("{head}: {parts}", "{head}：{parts}", "{head}: {parts}"),
    CensusPart => ("{n} {cause}", "{n} 个{cause}", "{n} {cause}"),
    CensusUnexplained => ("{n} without a diagnosed cause", "{n} 个未诊断出原因", "{n} chưa rõ nguyên nhân"),
    CauseBan => ("source banned", "源地址被封禁", "địa chỉ nguồn bị cấm"),
    CauseForbiddenBefore => ("refused before authentication", "未认证即被拒绝", "bị từ chối trước khi xác thực"),
    CauseWrongPassword => ("wrong password", "密码错误", "sai mật khẩu"),
    CauseRightPassword => ("right password, still refused", "密码正确但仍被拒绝", "đúng mật khẩu nhưng vẫn bị từ chối"),
    CauseWrongRealm => ("wrong realm", "认证域错误", "sai realm"),
    CauseWrongAlgo => ("wrong digest algorithm", "摘要算法错误", "sai thuật toán digest"),
    CauseWrongHeader => ("wrong auth header", "认证头错误", "sai header xác thực"),
    CauseAuthUserOther => ("unknown or other auth user", "认证用户未知或不同", "người dùng xác thực lạ hoặc khác"),
    CauseUri => ("digest URI mismatch", "摘要 URI 不一致", "URI của digest không khớp"),
    CauseUnanswered => ("challenge never answered", "质询从未被应答", "thách thức không được trả lời"),
    CauseStale => ("stale nonce", "nonce 过期", "nonce hết hạn"),
    CauseRefused => ("credentials refused", "凭据被拒绝", "thông tin xác thực bị từ chối"),
    CauseForbiddenAfter => ("forbidden after authentication", "认证后被禁止（403）", "bị cấm sau khi xác thực"),
    CauseNoAnswer => ("no answer", "无应答", "không có trả lời"),
    CauseEncrypted => ("encrypted", "已加密", "đã mã hoá"),
    CauseNoSip => ("no SIP", "没有 SIP", "không có SIP"),
    CauseClock => ("clock skew", "时钟偏差", "lệch đồng hồ"),
    CauseNat => ("private contact behind NAT", "NAT 后的私网 Contact", "Contact riêng sau NAT"),
    CauseOk => ("ok", "正常", "ổn"),

    // ---- how an exchange ended (transaction::Outcome; English: its wire name)
    OutcomeAccepted => ("accepted", "已接受", "được chấp nhận"),
    OutcomeRecovered => ("recovered", "重试后成功", "thành công sau khi thử lại"),
    OutcomeChallengeUnanswered => ("challenge-unanswered", "质询未应答", "thách thức không được trả lời"),
    OutcomeRechallenged => ("rechallenged", "再次质询", "bị thách thức lại"),
    OutcomeRejected => ("rejected", "被拒绝", "bị từ chối"),
    OutcomePending => ("pending", "未完成", "chưa xong"),
    OutcomeNoResponse => ("no-response", "无响应", "không phản hồi"),
    OutcomeUnreachable => ("unreachable", "不可达", "không tới được"),

    // ---- the verdict and the reports (report.rs)
    VerdictHealthyClock => ("No authentication problem found in this capture (warning: the phone's clock is off, see step 4)", "此抓包中没有发现认证问题（警告：话机时钟不准，见第 4 步）", "Không thấy lỗi xác thực nào trong tệp này (cảnh báo: đồng hồ điện thoại bị lệch, xem bước 4)"),
    VerdictHealthy => ("No authentication problem found in this capture", "此抓包中没有发现认证问题", "Không thấy lỗi xác thực nào trong tệp này"),
    VerdictNothing => ("Nothing to diagnose", "没有可诊断的内容", "Không có gì để chẩn đoán"),
    RepVerdict => ("Verdict", "结论", "Kết luận chung"),
    RepVerdictLine => ("Verdict: {verdict}", "结论：{verdict}", "Kết luận chung: {verdict}"),
    RepGuidedFixLine => ("Guided fix: ", "修复指引：", "Hướng dẫn sửa: "),
    RepFindingsHead => ("Findings ({n}), root cause first:", "诊断结果（{n} 项），根本原因在前：", "Kết luận ({n}), nguyên nhân gốc trước:"),
    RepFindings => ("Findings", "诊断结果", "Kết luận"),
    RepLikelyCause => ("likely cause {n}: {cause}", "可能原因 {n}：{cause}", "nguyên nhân có thể {n}: {cause}"),
    RepLikely => ("likely: {cause}", "可能：{cause}", "có thể: {cause}"),
    RepFrameLine => ("frame {frame}: {text}", "帧 {frame}：{text}", "khung {frame}: {text}"),
    RepAndMore => ("... and {n} more", "……还有 {n} 条", "... và {n} dòng nữa"),
    RepFixLine => ("fix: {title} (kb {id})", "修复：{title}（kb {id}）", "cách sửa: {title} (kb {id})"),
    RepDigestVerification => ("Digest verification:", "摘要校验：", "Kiểm tra digest:"),
    RepMatch => ("MATCH", "匹配", "KHỚP"),
    RepNoMatch => ("NO MATCH", "不匹配", "KHÔNG KHỚP"),
    RepDiffers => (" [differs: {d}]", " [不同：{d}]", " [khác: {d}]"),
    RepSteps => ("Steps:", "步骤：", "Các bước:"),
    RepGuidedFix => ("Guided fix", "修复指引", "Hướng dẫn sửa"),
    RepFrame => ("frame", "帧", "khung"),
    RepEvidence => ("evidence", "证据", "bằng chứng"),
    RepTitle => ("SIP Doctor report", "SIP Doctor 报告", "Báo cáo SIP Doctor"),
    RepCaptureLine => ("Capture: {file} ({format}, {frames} {frames|frame|frames})", "抓包：{file}（{format}，{frames} 帧）", "Tệp bắt gói: {file} ({format}, {frames} khung)"),
    RepCountsLine => ("SIP messages: {messages}, auth exchanges: {exchanges}", "SIP 消息：{messages}，认证交互：{exchanges}", "Bản tin SIP: {messages}, trao đổi xác thực: {exchanges}"),
    RepHtmlCapture => ("Capture {file} ({format}, {frames} {frames|frame|frames}): {messages} SIP {messages|message|messages}, {exchanges} auth {exchanges|exchange|exchanges}.", "抓包 {file}（{format}，{frames} 帧）：{messages} 条 SIP 消息，{exchanges} 个认证交互。", "Tệp bắt gói {file} ({format}, {frames} khung): {messages} bản tin SIP, {exchanges} trao đổi xác thực."),
    RepHeader => ("{file}: {format} ({links}), {frames} {frames|frame|frames}, {bytes} {bytes|byte|bytes}{range}", "{file}：{format}（{links}），{frames} 帧，{bytes} 字节{range}", "{file}: {format} ({links}), {frames} khung, {bytes} byte{range}"),
    /// The capture's time range after the header ("{file}: ... bytes{range}").
    RepRange => (", {from} .. {to}", "，{from} .. {to}", ", {from} .. {to}"),
    /// A finding's first line: severity, title, code.
    RepFindingHead => ("[{sev}] {title} ({code})", "[{sev}] {title}（{code}）", "[{sev}] {title} ({code})"),
    /// How an exchange ended, with its final status code.
    RepOutcomeStatus => ("{outcome} ({status})", "{outcome}（{status}）", "{outcome} ({status})"),
    RepExchangesCount => ("Auth exchanges: {n}", "认证交互：{n}", "Trao đổi xác thực: {n}"),
    /// `flows`: how many SIP messages the capture holds, above their list.
    RepSipMessagesCount => ("SIP messages: {n}", "SIP 消息：{n}", "Bản tin SIP: {n}"),
    /// `flows`: after a message that repeats an earlier one.
    RepFlowRetransmission => ("  (retransmission)", "  （重传）", "  (truyền lại)"),
    RepSkipped => ("Skipped (not SIP or unreadable), by reason:", "已跳过（非 SIP 或无法读取），按原因：", "Đã bỏ qua (không phải SIP hoặc không đọc được), theo lý do:"),
    RepTlsStream => ("TLS stream {src} -> {dst} (frame {frame}): encrypted, cannot inspect", "TLS 流 {src} -> {dst}（帧 {frame}）：已加密，无法查看", "luồng TLS {src} -> {dst} (khung {frame}): đã mã hoá, không xem được"),
    LadExchange => ("Exchange {n}: {method} {uri} by {who}  [Call-ID {call_id}]  => {outcome}", "交互 {n}：{method} {uri}，用户 {who}  [Call-ID {call_id}]  => {outcome}", "Trao đổi {n}: {method} {uri} của {who}  [Call-ID {call_id}]  => {outcome}"),
    LadTime => ("time", "时间", "thời gian"),
    LadClient => ("client {addr}", "客户端 {addr}", "máy khách {addr}"),
    LadServer => ("server {addr}", "服务器 {addr}", "máy chủ {addr}"),
    LadRetransmission => (" [retransmission]", " [重传]", " [truyền lại]"),
    RepExchanges => ("Auth exchanges", "认证交互", "Trao đổi xác thực"),
    HeaderCounts => ("{frames} {frames|frame|frames} · {messages} SIP {messages|message|messages} · {exchanges} auth {exchanges|exchange|exchanges}", "{frames} 帧 · {messages} 条 SIP 消息 · {exchanges} 个认证交互", "{frames} khung · {messages} bản tin SIP · {exchanges} trao đổi xác thực"),
    RepAccounts => ("Accounts", "账号", "Tài khoản"),
    RepUser => ("User", "用户", "Người dùng"),
    RepAuthUser => ("Auth user", "认证用户", "Người dùng xác thực"),
    RepClient => ("Client", "客户端", "Máy khách"),
    RepOutcome => ("Outcome", "结果", "Kết quả"),
    RepRootCause => ("Root cause", "根本原因", "Nguyên nhân gốc"),
    RepMoreInJson => ("and {n} more, listed in the JSON (sipdoctor-cli analyze --json)", "另有 {n} 个，见 JSON（sipdoctor-cli analyze --json）", "và {n} mục nữa, có trong JSON (sipdoctor-cli analyze --json)"),
    RepAsText => ("As text", "文本形式", "Dạng văn bản"),
    SevError => ("ERROR", "错误", "LỖI"),
    SevWarning => ("WARNING", "警告", "CẢNH BÁO"),
    SevInfo => ("info", "信息", "thông tin"),
    VerdictWordOk => ("ok", "正常", "ổn"),
    /// main's `StepVerdict::Warning` (a step that broke nothing), for `report::verdict_word`.
    VerdictWordWarning => ("warning", "注意", "lưu ý"),
    VerdictWordProblem => ("problem", "有问题", "có lỗi"),
    VerdictWordNotChecked => ("not-checked", "未检查", "chưa kiểm tra"),

    // ---- client settings, step 5 (clients.rs)
    CkHeading => ("Phone-side settings that break authentication", "话机端会导致认证失败的设置", "Các thiết lập phía điện thoại làm hỏng xác thực"),
    CkAuthUser => ("Authentication username vs user", "认证用户名与用户", "Tên người dùng xác thực và người dùng"),
    CkAuthUserWhy => (
        "The digest `username` (RFC 3261 section 22.4) is the auth user; the user in From/To is the extension. Many PBXs (FreePBX/Asterisk with a separate auth id, hosted providers) need them different; a phone that leaves the auth user empty sends the extension instead and gets 401/403 forever.",
        "摘要中的 `username`（RFC 3261 第 22.4 节）是认证用户；From/To 中的用户是分机号。很多 PBX（使用独立认证 ID 的 FreePBX/Asterisk、托管运营商）要求两者不同；话机若把认证用户留空，就会改发分机号，从而一直收到 401/403。",
        "`username` của digest (RFC 3261 mục 22.4) là người dùng xác thực; người dùng trong From/To là số máy lẻ. Nhiều PBX (FreePBX/Asterisk dùng auth id riêng, nhà cung cấp dịch vụ) cần hai giá trị này khác nhau; điện thoại để trống người dùng xác thực sẽ gửi số máy lẻ thay vào và nhận 401/403 mãi."
    ),
    CkAuthUserDiffers => ("auth user '{au}' differs from user '{user}': the phone must have both fields set", "认证用户 '{au}' 与用户 '{user}' 不同：话机上两个字段都必须填写", "người dùng xác thực '{au}' khác người dùng '{user}': điện thoại phải điền cả hai ô"),
    CkDomain => ("SIP domain vs proxy/registrar", "SIP 域名与代理/注册服务器", "Tên miền SIP và proxy/registrar (máy chủ đăng ký)"),
    CkDomainWhy => (
        "The domain is the host of the address-of-record and usually the realm the server challenges with; the proxy is only where packets go. Putting the proxy's IP in the domain field changes the From/To and the digest URI, and a realm-checking server rejects it.",
        "域名是注册地址（address-of-record）的主机部分，通常也是服务器质询时使用的认证域；代理只是报文发往的地方。把代理的 IP 填进域名字段会改变 From/To 和摘要 URI，校验认证域的服务器就会拒绝。",
        "Tên miền là phần host của address-of-record và thường là realm mà máy chủ dùng khi gửi thách thức; proxy chỉ là nơi gói tin được gửi tới. Điền IP của proxy vào ô tên miền sẽ làm thay đổi From/To và URI của digest, và máy chủ kiểm tra realm sẽ từ chối."
    ),
    CkDomainIsIp => ("the domain is an IP address: check the server expects exactly that domain", "域名是一个 IP 地址：请确认服务器预期的正是这个域名", "tên miền là một địa chỉ IP: hãy kiểm tra máy chủ có mong đợi đúng tên miền đó không"),
    CkRealmDiffers => ("realm '{realm}' differs from domain '{domain}': a phone with a realm field must use the realm", "认证域 '{realm}' 与域名 '{domain}' 不同：有认证域字段的话机必须填写该认证域", "realm '{realm}' khác tên miền '{domain}': điện thoại có ô realm phải dùng realm đó"),
    CkProxy => ("Outbound proxy", "出站代理（Outbound proxy）", "Outbound proxy"),
    CkProxyWhy => (
        "Needed when the registrar is not reachable at the domain's address (SBC, provider proxy). Set when not needed, it can send REGISTERs to a box that answers 403 or never answers.",
        "当注册服务器无法通过域名的地址访问时才需要（SBC、运营商代理）。不需要时却设置了，REGISTER 可能被发往一台回 403 或根本不应答的设备。",
        "Cần khi registrar (máy chủ đăng ký) không truy cập được qua địa chỉ của tên miền (SBC, proxy của nhà cung cấp). Nếu đặt khi không cần, REGISTER có thể bị gửi tới một thiết bị trả 403 hoặc không bao giờ trả lời."
    ),
    CkProxyUsed => ("this account uses outbound proxy {proxy}: the phone must have the same", "此账号使用出站代理 {proxy}：话机上必须设置相同的值", "tài khoản này dùng outbound proxy {proxy}: điện thoại phải đặt giống vậy"),
    CkTransport => ("Transport (UDP/TCP/TLS) and port", "传输方式（UDP/TCP/TLS）与端口", "Giao thức truyền (UDP/TCP/TLS) và cổng"),
    CkTransportWhy => (
        "A phone on UDP against a TLS-only listener gets no answer; TLS needs port 5061 (RFC 3261 section 19.1.2) and a certificate the phone trusts. Large REGISTERs over UDP can be fragmented and lost.",
        "用 UDP 的话机连接只监听 TLS 的服务时收不到任何应答；TLS 需要 5061 端口（RFC 3261 第 19.1.2 节）和话机信任的证书。通过 UDP 发送的大 REGISTER 可能被分片并丢失。",
        "Điện thoại dùng UDP gửi tới cổng chỉ nghe TLS sẽ không nhận được trả lời; TLS cần cổng 5061 (RFC 3261 mục 19.1.2) và chứng chỉ mà điện thoại tin cậy. REGISTER lớn qua UDP có thể bị phân mảnh và mất."
    ),
    CkTransportUse => ("use {transport} to {host}:{port}", "使用 {transport} 连接 {host}:{port}", "dùng {transport} tới {host}:{port}"),
    CkAlg => ("SIP ALG on the router", "路由器上的 SIP ALG", "SIP ALG trên router"),
    CkAlgWhy => (
        "A router's SIP ALG rewrites SIP headers in flight (Via, Contact, sometimes From/To or the Authorization header). The digest response no longer matches what the server computes, so a correct password still gets 401. Disable SIP ALG (often 'SIP ALG', 'SIP helper', 'SIP passthrough') and test again.",
        "路由器的 SIP ALG 会在传输途中改写 SIP 头（Via、Contact，有时还有 From/To 或 Authorization 头）。摘要 response 就不再与服务器计算的一致，即使密码正确也会收到 401。请关闭 SIP ALG（常见名称：'SIP ALG'、'SIP helper'、'SIP passthrough'）后再测试。",
        "SIP ALG của router viết lại header SIP trên đường truyền (Via, Contact, đôi khi From/To hoặc header Authorization). Response của digest không còn khớp với giá trị máy chủ tính, nên mật khẩu đúng vẫn bị 401. Hãy tắt SIP ALG (thường có tên 'SIP ALG', 'SIP helper', 'SIP passthrough') rồi thử lại."
    ),
    CkSpaces => ("Trailing spaces, smart quotes, auto-correction", "末尾空格、智能引号、自动更正", "Dấu cách thừa, dấu nháy thông minh, tự sửa chữ"),
    CkSpacesWhy => (
        "A space pasted after the password or user, a smart quote or an auto-capitalised first letter changes the digest completely; the phone shows nothing wrong.",
        "在密码或用户后面粘贴进去的空格、智能引号或被自动改成大写的首字母都会彻底改变摘要，而话机上看不出任何异常。",
        "Một dấu cách dán thừa sau mật khẩu hoặc người dùng, một dấu nháy thông minh hay chữ cái đầu bị tự động viết hoa đều làm digest thay đổi hoàn toàn; điện thoại không báo gì sai."
    ),
    CkSpacesIn => ("leading/trailing white space in: {fields}", "以下字段首尾有空白：{fields}", "có khoảng trắng ở đầu/cuối trong: {fields}"),
    FieldUser => ("user", "用户", "người dùng"),
    FieldAuthUser => ("auth user", "认证用户", "người dùng xác thực"),
    /// `sipdoctor-cli accounts`: the table's other columns (user and auth user: the Field* ids).
    CliAccClient => ("client", "客户端", "máy khách"),
    CliAccUserAgent => ("user agent", "User-Agent", "User-Agent"),
    CliAccOutcome => ("outcome", "结果", "kết quả"),
    CliAccRootCause => ("root cause", "根本原因", "nguyên nhân gốc"),
    CliAccAttempts => ("attempts", "尝试次数", "số lần thử"),
    CliAccFirstSeen => ("first seen", "首次出现", "thấy lần đầu"),
    CliAccLastSeen => ("last seen", "最后出现", "thấy lần cuối"),
    /// Its first line (the root causes follow as codes).
    CliAccCensus => ("{total} {total|account|accounts}, {problems} with a problem", "共 {total} 个账号，{problems} 个有问题", "{total} tài khoản, {problems} tài khoản có vấn đề"),
    /// One root cause of the census in words, the code after it, as skip reasons say theirs
    /// (zh/vi; the English census keeps the bare code, which scripts read).
    CliAccCensusCause => ("{n} × {cause} ({code})", "{n} × {cause}（{code}）", "{n} × {cause} ({code})"),
    FieldDomain => ("domain", "域名", "tên miền"),
    FieldPassword => ("password", "密码", "mật khẩu"),
    // ---- the app's test REGISTER (probe::Verdict; English: its wire name)
    ProbeRegistered => ("registered", "已注册", "đã đăng ký"),
    ProbeWrongCredentials => ("wrong-credentials", "凭据错误", "sai thông tin xác thực"),
    ProbeForbidden => ("forbidden", "被禁止（403）", "bị cấm (403)"),
    ProbeNoAnswer => ("no-answer", "无应答", "không có trả lời"),
    ProbeUnreachable => ("unreachable", "不可达", "không tới được"),
    ProbeError => ("error", "出错", "lỗi"),
    ProbeAnswered => ("answered", "有应答", "có trả lời"),
    // ---- the app's test REGISTER: the sentence of its result (probe)
    PrRedirectTwice => ("The server redirected a second time ({status}); the test follows one redirect only.", "服务器第二次重定向（{status}）；本测试只跟随一次重定向。", "Máy chủ chuyển hướng lần thứ hai ({status}); phép thử chỉ đi theo một lần chuyển hướng."),
    PrWrongCredentials => ("The server refused the credentials: it challenged the answered REGISTER again ({status}). The password or the auth username \"{au}\" is wrong for realm \"{realm}\" (or the account does not exist there).", "服务器拒绝了凭据：它对已应答的 REGISTER 再次质询（{status}）。对于 realm \"{realm}\"，密码或认证用户名 \"{au}\" 不对（或该账号在那里不存在）。", "Máy chủ từ chối thông tin xác thực: nó lại gửi thách thức cho REGISTER đã trả lời ({status}). Mật khẩu hoặc tên người dùng xác thực \"{au}\" sai với realm \"{realm}\" (hoặc tài khoản không tồn tại ở đó)."),
    PrUnreachableWhy => ("{addr} is unreachable over {transport}: {why}. No SIP server listens on that address and port.", "经 {transport} 无法到达 {addr}：{why}。该地址和端口上没有 SIP 服务器在监听。", "Không tới được {addr} qua {transport}: {why}. Không có máy chủ SIP nào lắng nghe trên địa chỉ và cổng đó."),
    PrStopped => ("The test stopped: {e}.", "测试已中止：{e}。", "Phép thử đã dừng: {e}."),
    PrUnregOk => (" The test binding was removed again (Expires: 0).", "测试绑定已再次删除（Expires: 0）。", " Bản đăng ký thử đã được gỡ lại (Expires: 0)."),
    PrUnregRefused => (" Removing the test binding was refused ({status}); it expires by itself within {expires} s.", "删除测试绑定被拒绝（{status}）；它会在 {expires} 秒内自动过期。", " Việc gỡ bản đăng ký thử bị từ chối ({status}); nó tự hết hạn trong vòng {expires} giây."),
    PrUnregNoAnswer => (" Removing the test binding got no answer; it expires by itself within {expires} s.", "删除测试绑定没有应答；它会在 {expires} 秒内自动过期。", " Việc gỡ bản đăng ký thử không có trả lời; nó tự hết hạn trong vòng {expires} giây."),
    PrUnregFailed => (" Removing the test binding failed ({e}); it expires by itself within {expires} s.", "删除测试绑定失败（{e}）；它会在 {expires} 秒内自动过期。", " Việc gỡ bản đăng ký thử thất bại ({e}); nó tự hết hạn trong vòng {expires} giây."),
    PrCannotFollow => ("Cannot follow the {status}: {e}.", "无法跟随 {status}：{e}。", "Không đi theo được {status}: {e}."),
    PrRedirectedThen => ("Redirected, then {e}.", "已重定向，随后：{e}。", "Đã chuyển hướng, rồi: {e}."),
    PrForbiddenAfter => ("The server answered {status} after our credentials: the password was accepted or not even checked, but this auth user may not register \"{user}\" (auth user vs user mismatch), or the account is disabled or blocked.", "服务器在我们发送凭据后回了 {status}：密码已被接受或根本没有被校验，但这个认证用户不允许注册 \"{user}\"（认证用户与用户不一致），或者账号已被禁用或封锁。", "Máy chủ trả {status} sau khi nhận thông tin xác thực: mật khẩu đã được chấp nhận hoặc chưa hề được kiểm tra, nhưng người dùng xác thực này không được đăng ký \"{user}\" (người dùng xác thực và người dùng không khớp), hoặc tài khoản bị vô hiệu hoá hay bị khoá."),
    PrForbiddenBefore => ("The server answered {status} before any challenge: it refuses this source address or account outright (address ACL, fail2ban/brute-force block, unknown domain), before the password plays any role.", "服务器在任何质询之前就回了 {status}：它直接拒绝了这个源地址或账号（地址 ACL、fail2ban/暴力破解封禁、未知域名），与密码无关。", "Máy chủ trả {status} trước mọi thách thức: nó từ chối thẳng địa chỉ nguồn hoặc tài khoản này (ACL địa chỉ, bị fail2ban/chống dò mật khẩu chặn, tên miền lạ), trước khi mật khẩu có vai trò gì."),
    PrProvisional => ("{addr} answered only provisionally and never finally within {ms} ms.", "{addr} 在 {ms} 毫秒内只有临时响应，没有最终响应。", "{addr} chỉ trả lời tạm thời và không có trả lời cuối cùng trong {ms} ms."),
    PrNoAnswer => ("No answer from {addr} over {transport} after {n} transmission(s) in {ms} ms: nothing listens there, a firewall drops the packets, or the server silently ignores this address (e.g. blocked).", "经 {transport} 向 {addr} 发送 {n} 次、历时 {ms} 毫秒，没有任何应答：那里没有服务在监听，防火墙丢弃了报文，或者服务器默默忽略了这个地址（例如已封禁）。", "Không có trả lời từ {addr} qua {transport} sau {n} lần gửi trong {ms} ms: không có gì lắng nghe ở đó, tường lửa bỏ gói tin, hoặc máy chủ lặng lẽ bỏ qua địa chỉ này (ví dụ bị chặn)."),
    PrCannotTest => ("Cannot test: {e}.", "无法测试：{e}。", "Không thử được: {e}."),
    PrError => ("{e}.", "{e}。", "{e}."),
    PrNoLocal => ("No local address: {e}.", "没有本地地址：{e}。", "Không có địa chỉ cục bộ: {e}."),
    PrTcpRefused => ("{addr} refused the TCP connection: nothing listens for SIP over TCP there.", "{addr} 拒绝了 TCP 连接：那里没有通过 TCP 监听 SIP 的服务。", "{addr} từ chối kết nối TCP: không có gì lắng nghe SIP qua TCP ở đó."),
    PrTcpTimeout => ("The TCP connection to {addr} was not answered within {ms} ms: a firewall drops it or the host is down.", "到 {addr} 的 TCP 连接在 {ms} 毫秒内没有应答：被防火墙丢弃，或主机已宕机。", "Kết nối TCP tới {addr} không được trả lời trong {ms} ms: tường lửa chặn hoặc máy đang tắt."),
    PrBind => ("Could not use the local source address {addr}: {e}.", "无法使用本地源地址 {addr}：{e}。", "Không dùng được địa chỉ nguồn cục bộ {addr}: {e}."),
    PrSocket => ("Could not open a socket to {addr}: {e}.", "无法打开到 {addr} 的套接字：{e}。", "Không mở được socket tới {addr}: {e}."),
    PrRegistered => ("Registered as {user} at {addr} over {transport} ({how}, {status}): the server accepts these credentials.{tail}", "已通过 {transport} 在 {addr} 注册为 {user}（{how}，{status}）：服务器接受这些凭据。{tail}", "Đã đăng ký là {user} tại {addr} qua {transport} ({how}, {status}): máy chủ chấp nhận thông tin xác thực này.{tail}"),
    PrHowDigest => ("digest {alg}", "摘要 {alg}", "digest {alg}"),
    PrHowNone => ("no authentication asked", "未要求认证", "không yêu cầu xác thực"),
    /// A protocol value shown as it is, in every language (a probe ladder's "CSeq 1 OPTIONS").
    ProtoValue => ("{value}", "{value}", "{value}"),
    /// The probe's ladder: what matters about each message it sent or received.
    PrDetRegister => ("CSeq {cseq} REGISTER, Expires: {expires}, {creds}", "CSeq {cseq} REGISTER，Expires: {expires}，{creds}", "CSeq {cseq} REGISTER, Expires: {expires}, {creds}"),
    PrDetNoCredentials => ("no credentials", "未带凭据", "không kèm thông tin xác thực"),
    PrDetRetransmission => ("retransmission {n} (timer E)", "第 {n} 次重传（定时器 E）", "truyền lại lần {n} (bộ định thời E)"),
    PrDetChallenge => ("challenge: {params}", "质询：{params}", "thách thức: {params}"),
    PrDetChallengeOf => ("challenge: {params} (topmost supported of {n} offered)", "质询：{params}（服务器提供了 {n} 个，选用最上面一个支持的）", "thách thức: {params} (cái trên cùng được hỗ trợ trong {n} cái máy chủ đưa ra)"),
    PrDetRedirect => ("redirect to {uri}", "重定向到 {uri}", "chuyển hướng đến {uri}"),
    PrDetRedirectNoContact => ("redirect without Contact", "重定向但没有 Contact", "chuyển hướng nhưng không có Contact"),
    PrDetRefusedAfterCreds => ("refused after our credentials", "发送我们的凭据后被拒绝", "bị từ chối sau khi gửi thông tin xác thực của chúng tôi"),
    PrDetRefusedBeforeChallenge => ("refused before any challenge", "尚未质询就被拒绝", "bị từ chối trước mọi thách thức"),
    PrDetBindingListed => ("our binding is listed ({expires}); {n} binding(s) in total", "列出了我们的绑定（{expires}）；共 {n} 个绑定", "liên kết của chúng tôi có trong danh sách ({expires}); tổng cộng {n} liên kết"),
    PrDetBindingListedBare => ("our binding is listed; {n} binding(s) in total", "列出了我们的绑定；共 {n} 个绑定", "liên kết của chúng tôi có trong danh sách; tổng cộng {n} liên kết"),
    PrDetBindingNotListed => ("our binding is not listed; {n} binding(s) in total", "没有列出我们的绑定；共 {n} 个绑定", "liên kết của chúng tôi không có trong danh sách; tổng cộng {n} liên kết"),
    PrDetBytesIgnored => ("{n} bytes ignored", "忽略了 {n} 字节", "bỏ qua {n} byte"),
    PrDetRequestIgnored => ("a request from the server, ignored", "服务器发来的请求，已忽略", "một yêu cầu từ máy chủ, đã bỏ qua"),
    PrDetNotForThisRequest => ("not for this request (Via branch or CSeq differ), ignored", "不是本请求的响应（Via branch 或 CSeq 不同），已忽略", "không phải phản hồi cho yêu cầu này (Via branch hoặc CSeq khác), đã bỏ qua"),
    PrSumNotSip => ("(not SIP)", "（不是 SIP）", "(không phải SIP)"),
    PrSumTcpConnect => ("TCP connect {addr}", "TCP 连接 {addr}", "kết nối TCP {addr}"),
    PrDetProvisional => ("provisional", "临时响应", "phản hồi tạm thời"),
    PrDetConnRefused => ("connection refused", "连接被拒绝", "kết nối bị từ chối"),
    PrDetConnNoAnswer => ("no answer to the connection attempt", "连接尝试没有应答", "không có trả lời cho lần thử kết nối"),
    PrItSays => (" (it says \"{server}\")", "（它自称 \"{server}\"）", " (nó tự giới thiệu là \"{server}\")"),
    PrAnswered => ("A SIP server answers at {addr} over {transport}: {status}{server}.", "{addr} 上有 SIP 服务器经 {transport} 应答：{status}{server}。", "Có máy chủ SIP trả lời tại {addr} qua {transport}: {status}{server}."),
    PrOptNoAnswer => ("No answer from {addr} over {transport} after {n} transmission(s) in {ms} ms.", "经 {transport} 向 {addr} 发送 {n} 次、历时 {ms} 毫秒，没有任何应答。", "Không có trả lời từ {addr} qua {transport} sau {n} lần gửi trong {ms} ms."),
    PrOptRefused => ("{addr} is unreachable over {transport}: nothing listens there.", "经 {transport} 无法到达 {addr}：那里没有服务在监听。", "Không tới được {addr} qua {transport}: không có gì lắng nghe ở đó."),
    PrClosed => ("The server closed the TCP connection without answering.", "服务器没有应答就关闭了 TCP 连接。", "Máy chủ đóng kết nối TCP mà không trả lời."),
    PrPacketCap => ("Stopped at the packet limit.", "已达到数据包上限，测试停止。", "Đã dừng ở giới hạn số gói tin."),
    // ---- the app's test REGISTER against the phone's (probe::compare_with_capture)
    CmpAppOnly => (
        "The app registers with these credentials, the phone does not: the phone's settings differ (check on the phone: password, auth username vs user, SIP domain/realm, outbound proxy, transport and port; a SIP ALG on the phone's router can also alter its requests).",
        "本程序用这些凭据能注册，话机却不能：话机上的设置不同（在话机上检查：密码、认证用户名与用户、SIP 域名/认证域、出站代理、传输方式和端口；话机所在路由器上的 SIP ALG 也可能篡改它的请求）。",
        "Ứng dụng đăng ký được với thông tin xác thực này, điện thoại thì không: thiết lập trên điện thoại khác (kiểm tra trên điện thoại: mật khẩu, tên người dùng xác thực và người dùng, tên miền SIP/realm, outbound proxy, giao thức truyền và cổng; SIP ALG trên router của điện thoại cũng có thể sửa các yêu cầu của nó)."
    ),
    CmpBoth => (
        "Both the app and the phone register with these credentials: the account and the server are fine.",
        "本程序和话机都能用这些凭据注册：账号和服务器都没有问题。",
        "Cả ứng dụng và điện thoại đều đăng ký được với thông tin xác thực này: tài khoản và máy chủ đều ổn."
    ),
    CmpPhoneOnlyCredentials => (
        "The phone registers, the app does not: the credentials typed into SIP Doctor differ from the phone's (the phone has the right ones).",
        "话机能注册，本程序却不能：在 SIP Doctor 中输入的凭据与话机上的不同（话机上的才是正确的）。",
        "Điện thoại đăng ký được, ứng dụng thì không: thông tin xác thực nhập vào SIP Doctor khác với trên điện thoại (điện thoại có thông tin đúng)."
    ),
    CmpPhoneOnlyNetwork => (
        "The phone registers, the app does not ({verdict}): the server refuses or cannot be reached from this machine (address ACL, firewall or block), so this test says nothing about the credentials.",
        "话机能注册，本程序却不能（{verdict}）：服务器拒绝了这台机器或无法从这台机器访问（地址 ACL、防火墙或封禁），所以这次测试无法说明凭据的情况。",
        "Điện thoại đăng ký được, ứng dụng thì không ({verdict}): máy chủ từ chối hoặc không truy cập được từ máy này (ACL địa chỉ, tường lửa hoặc bị chặn), nên phép thử này không nói được gì về thông tin xác thực."
    ),
    CmpNeitherCredentials => (
        "Both the app and the phone fail: the credentials themselves are refused by the server (wrong password, or the account is missing or in another realm): fix the account on the server side or get the right password.",
        "本程序和话机都失败：服务器拒绝的是凭据本身（密码错误，或账号不存在、位于另一个认证域）：请在服务器端修正账号，或拿到正确的密码。",
        "Cả ứng dụng và điện thoại đều thất bại: chính thông tin xác thực bị máy chủ từ chối (sai mật khẩu, hoặc tài khoản không tồn tại hay thuộc realm khác): hãy sửa tài khoản phía máy chủ hoặc lấy đúng mật khẩu."
    ),
    CmpNeitherNetwork => (
        "Both the app and the phone fail ({verdict} for the app): the problem is on the server side or in the network (ACL, block, firewall, server down), not in the phone's settings.",
        "本程序和话机都失败（本程序为 {verdict}）：问题在服务器端或网络中（ACL、封禁、防火墙、服务器宕机），而不在话机的设置。",
        "Cả ứng dụng và điện thoại đều thất bại ({verdict} với ứng dụng): lỗi nằm ở phía máy chủ hoặc mạng (ACL, bị chặn, tường lửa, máy chủ ngừng), không phải ở thiết lập của điện thoại."
    ),
    PasswordNotGiven => ("not given: replace {placeholder} by hand", "未提供：请手动替换 {placeholder}", "chưa nhập: hãy tự thay {placeholder}"),

    // ---- errors: a capture that cannot be read (crate::Error, see `Error::text`)
    ErrCannotRead => ("cannot read {path}: {reason}", "无法读取 {path}：{reason}", "không đọc được {path}: {reason}"),
    ErrNotCapture => ("{path}: not a pcap or pcapng capture (the file starts with {magic})", "{path}：不是 pcap 或 pcapng 抓包文件（文件开头为 {magic}）", "{path}: không phải tệp bắt gói pcap hay pcapng (tệp bắt đầu bằng {magic})"),
    ErrGzip => ("{path}: a gzip file, not a capture (it starts with {magic}): decompress it first", "{path}：这是 gzip 压缩文件，不是抓包文件（开头为 {magic}）：请先解压", "{path}: đây là tệp nén gzip, không phải tệp bắt gói (bắt đầu bằng {magic}): hãy giải nén trước"),
    ErrTextFile => ("{path}: a text file, not a pcap or pcapng capture (it starts with {magic} \"{text}\")", "{path}：这是文本文件，不是 pcap 或 pcapng 抓包文件（开头为 {magic} \"{text}\"）", "{path}: đây là tệp văn bản, không phải tệp bắt gói pcap hay pcapng (bắt đầu bằng {magic} \"{text}\")"),
    ErrEmptyFile => ("{path}: the file is empty", "{path}：文件是空的", "{path}: tệp rỗng"),
    ErrHeaderCut => ("{path}: the file ends inside its header: the capture was cut short", "{path}：文件在文件头处就结束了：抓包文件不完整（被截断）", "{path}: tệp kết thúc ngay trong phần đầu tệp: tệp bắt gói bị cắt cụt"),
    ErrClaimsTooMuch => ("{path}: the {part} at byte {at} claims {n} bytes: the file is damaged", "{path}：第 {at} 字节处的 {part}声称有 {n} 字节：文件已损坏", "{path}: {part} tại byte {at} khai báo {n} byte: tệp đã bị hỏng"),
    PartPcapHeader => ("pcap file header", "pcap 文件头", "phần đầu tệp pcap"),
    PartPcapRecord => ("pcap record", "pcap 记录", "bản ghi pcap"),
    PartPcapngHeader => ("pcapng section header", "pcapng 节头", "phần đầu section pcapng"),
    PartPcapngBlock => ("pcapng block", "pcapng 块", "khối pcapng"),
    ErrPcapngHeader => ("{path}: the pcapng section header is damaged (\"{detail}\")", "{path}：pcapng 节头已损坏（\"{detail}\"）", "{path}: phần đầu section pcapng bị hỏng (\"{detail}\")"),
    ErrPcapngBlock => ("{path}: the pcapng block at byte {at} is damaged (\"{detail}\")", "{path}：第 {at} 字节处的 pcapng 块已损坏（\"{detail}\"）", "{path}: khối pcapng tại byte {at} bị hỏng (\"{detail}\")"),
    ErrCorrupt => ("{path}: the capture is damaged (\"{detail}\")", "{path}：抓包文件已损坏（\"{detail}\"）", "{path}: tệp bắt gói bị hỏng (\"{detail}\")"),
    ErrCancelled => ("analysis cancelled", "分析已取消", "đã huỷ phân tích"),
    ErrNothingToSave => ("no SIP exchange in this capture: nothing to save", "此抓包中没有 SIP 交互：没有可保存的内容", "tệp bắt gói không có trao đổi SIP nào: không có gì để lưu"),
    ErrOverwriteSource => ("{path}: refusing to overwrite the capture being exported", "{path}：拒绝覆盖正在导出的抓包文件本身", "{path}: không ghi đè lên chính tệp bắt gói đang được xuất"),
    ErrInternal => ("{path}: internal error while reading this capture (please report it with the file)", "{path}：读取此抓包时发生内部错误（请附上该文件报告此问题）", "{path}: lỗi nội bộ khi đọc tệp bắt gói này (hãy báo lỗi kèm theo tệp)"),
    ErrCannotStart => ("cannot start the analysis: {reason}", "无法开始分析：{reason}", "không bắt đầu phân tích được: {reason}"),
    /// A sentence from outside the catalogue (a library's or the system's words), quoted.
    RawText => ("\"{text}\"", "\"{text}\"", "\"{text}\""),

    // ---- errors: why the system refused (std::io::ErrorKind, see `msg::io_reason`)
    IoNotFound => ("no such file or directory", "文件或目录不存在", "không có tệp hoặc thư mục này"),
    IoPermission => ("permission denied", "没有权限（访问被拒绝）", "không có quyền truy cập"),
    IoRefused => ("connection refused", "连接被拒绝", "kết nối bị từ chối"),
    IoReset => ("connection reset by the other side", "连接被对方重置", "kết nối bị phía bên kia ngắt (reset)"),
    IoAborted => ("connection aborted", "连接被中止", "kết nối bị huỷ giữa chừng"),
    IoNotConnected => ("not connected", "尚未连接", "chưa kết nối"),
    IoAddrInUse => ("the address is already in use", "地址已被占用", "địa chỉ đã có chương trình khác dùng"),
    IoAddrNotAvailable => ("this machine has no such address", "本机没有这个地址", "máy này không có địa chỉ đó"),
    IoNetUnreachable => ("the network is unreachable", "网络不可达", "không tới được mạng"),
    IoHostUnreachable => ("no route to the host", "无法到达该主机（没有路由）", "không có đường tới máy đích"),
    IoNetDown => ("the network is down", "网络已断开", "mạng đang bị ngắt"),
    IoTimedOut => ("timed out", "超时", "hết thời gian chờ"),
    IoBrokenPipe => ("the other side closed the connection", "对方已关闭连接", "phía bên kia đã đóng kết nối"),
    IoInterrupted => ("interrupted", "被中断", "bị gián đoạn"),
    IoIsDirectory => ("it is a folder, not a file", "这是一个文件夹，不是文件", "đây là thư mục, không phải tệp"),
    IoNotDirectory => ("a part of the path is not a folder", "路径中有一部分不是文件夹", "một phần của đường dẫn không phải thư mục"),
    IoInvalidData => ("the data is not valid (not UTF-8 text?)", "数据无效（不是 UTF-8 文本？）", "dữ liệu không hợp lệ (không phải văn bản UTF-8?)"),
    IoInvalidInput => ("invalid argument", "参数无效", "tham số không hợp lệ"),
    IoUnexpectedEof => ("the data ends too early", "数据提前结束", "dữ liệu kết thúc quá sớm"),
    IoStorageFull => ("no space left on the disk", "磁盘空间不足", "ổ đĩa đã hết chỗ trống"),
    IoReadOnly => ("the file system is read-only", "文件系统是只读的", "hệ thống tệp chỉ cho phép đọc"),
    IoFileTooLarge => ("the file is too large", "文件太大", "tệp quá lớn"),
    IoOutOfMemory => ("out of memory", "内存不足", "hết bộ nhớ"),
    IoAlreadyExists => ("it already exists", "已经存在", "đã tồn tại"),
    IoUnsupported => ("not supported on this system", "此系统不支持", "hệ thống này không hỗ trợ"),
    /// Any other kind: the system's own words, quoted.
    IoOther => ("\"{os}\"", "\"{os}\"", "\"{os}\""),

    // ---- errors: the command line (src/cli)
    CliError => ("sipdoctor-cli: {e}", "sipdoctor-cli：{e}", "sipdoctor-cli: {e}"),
    CliBadLang => ("--lang must be en, zh or vi, not \"{value}\"", "--lang 只能是 en、zh 或 vi，而不是 \"{value}\"", "--lang phải là en, zh hoặc vi, không phải \"{value}\""),
    CliNothingOnStdin => ("nothing on standard input", "标准输入中没有内容", "đầu vào chuẩn (stdin) không có gì"),
    CliCannotReadStdin => ("cannot read standard input: {reason}", "无法读取标准输入：{reason}", "không đọc được đầu vào chuẩn (stdin): {reason}"),
    CliNoAccount => ("no account in {path} matches {focus}", "{path} 中没有与 {focus} 匹配的账号", "không có tài khoản nào trong {path} khớp với {focus}"),
    CliCannotWrite => ("cannot write {path}: {reason}", "无法写入 {path}：{reason}", "không ghi được {path}: {reason}"),
    CliCannotSave => ("cannot save {path}: {reason}", "无法保存 {path}：{reason}", "không lưu được {path}: {reason}"),
    CliCannotWriteOutput => ("cannot write the output: {reason}", "无法写出结果：{reason}", "không ghi được kết quả ra: {reason}"),
    CliBadValue => ("invalid value \"{value}\" for {arg}: {reason}", "{arg} 的值 \"{value}\" 无效：{reason}", "giá trị \"{value}\" của {arg} không hợp lệ: {reason}"),
    CliExpectClient => ("expected IP or IP:PORT (e.g. 192.0.2.10, 192.0.2.10:5060, [2001:db8::1]:5060)", "应为 IP 或 IP:端口（例如 192.0.2.10、192.0.2.10:5060、[2001:db8::1]:5060）", "cần IP hoặc IP:CỔNG (ví dụ 192.0.2.10, 192.0.2.10:5060, [2001:db8::1]:5060)"),
    CliExpectTransport => ("expected udp, tcp or tls", "应为 udp、tcp 或 tls", "cần udp, tcp hoặc tls"),
    CliExpectIp => ("expected an IP address (e.g. 192.0.2.10 or 2001:db8::1)", "应为 IP 地址（例如 192.0.2.10 或 2001:db8::1）", "cần một địa chỉ IP (ví dụ 192.0.2.10 hoặc 2001:db8::1)"),
    CliExpectNumber => ("expected a number", "应为数字", "cần một con số"),
    CliKbSkipped => ("kb: entry {id} skipped: {e}", "kb：已跳过条目 {id}：{e}", "kb: đã bỏ qua mục {id}: {e}"),
    CliKbUnknown => ("kb: unknown entry \"{id}\" (see `sipdoctor-cli kb list`)", "kb：没有条目 \"{id}\"（见 `sipdoctor-cli kb list`）", "kb: không có mục \"{id}\" (xem `sipdoctor-cli kb list`)"),

    // ---- errors: clap's usage errors in our words (cli::usage; English close to clap's own)
    CliUnknownArg => ("unexpected argument '{arg}' found", "意外的参数 '{arg}'", "tham số không mong đợi '{arg}'"),
    CliUnknownSubcommand => ("unrecognized subcommand '{sub}'", "无法识别的子命令 '{sub}'", "không nhận ra lệnh con '{sub}'"),
    CliMissingArgs => ("the following required arguments were not provided: {args}", "缺少以下必需的参数：{args}", "thiếu các tham số bắt buộc sau: {args}"),
    CliMissingSubcommand => ("'{cmd}' requires a subcommand but one was not provided [subcommands: {list}]", "'{cmd}' 需要一个子命令，但没有给出（子命令：{list}）", "'{cmd}' cần một lệnh con nhưng không có lệnh con nào [các lệnh con: {list}]"),
    CliInvalidChoice => ("invalid value '{value}' for '{arg}'", "'{arg}' 的值 '{value}' 无效", "giá trị '{value}' của '{arg}' không hợp lệ"),
    CliNoValue => ("a value is required for '{arg}' but none was supplied", "'{arg}' 需要一个值，但没有给出", "'{arg}' cần một giá trị nhưng không có giá trị nào"),
    /// A usage error and the values the argument takes.
    CliPossibleValues => ("{e} [possible values: {list}]", "{e}（可选值：{list}）", "{e} [giá trị có thể: {list}]"),
    CliTooManyValues => ("unexpected value '{value}' for '{arg}' found; no more were expected", "'{arg}' 多出了意外的值 '{value}'；它不接受更多的值", "giá trị không mong đợi '{value}' cho '{arg}'; không cần thêm giá trị nào"),
    CliConflict => ("the argument '{arg}' cannot be used with '{other}'", "参数 '{arg}' 不能与 '{other}' 同时使用", "không thể dùng tham số '{arg}' cùng với '{other}'"),
    CliConflictMany => ("the argument '{arg}' cannot be used with: {others}", "参数 '{arg}' 不能与以下参数同时使用：{others}", "không thể dùng tham số '{arg}' cùng với: {others}"),
    CliConflictAny => ("the argument '{arg}' cannot be used with one or more of the other specified arguments", "参数 '{arg}' 不能与已给出的其他某些参数同时使用", "không thể dùng tham số '{arg}' cùng với một hoặc vài tham số khác đã cho"),
    CliSubcommandConflict => ("the subcommand '{sub}' cannot be used with '{other}'", "子命令 '{sub}' 不能与 '{other}' 同时使用", "không thể dùng lệnh con '{sub}' cùng với '{other}'"),
    CliUsedTwice => ("the argument '{arg}' cannot be used multiple times", "参数 '{arg}' 不能多次使用", "không thể dùng tham số '{arg}' nhiều lần"),
    CliNoEquals => ("equal sign is needed when assigning values to '{arg}'", "给 '{arg}' 赋值时需要等号", "cần dấu bằng khi gán giá trị cho '{arg}'"),
    CliInvalidUtf8 => ("invalid UTF-8 was detected in one or more arguments", "一个或多个参数中含有无效的 UTF-8", "phát hiện UTF-8 không hợp lệ trong một hoặc nhiều tham số"),
    /// A usage error and clap's suggestion.
    CliTip => ("{e}; tip: {tip}", "{e}；提示：{tip}", "{e}; gợi ý: {tip}"),
    CliSimilarArg => ("a similar argument exists: '{arg}'", "有一个相似的参数：'{arg}'", "có một tham số tương tự: '{arg}'"),
    CliSimilarSubcommand => ("a similar subcommand exists: '{sub}'", "有一个相似的子命令：'{sub}'", "có một lệnh con tương tự: '{sub}'"),
    CliSimilarValue => ("a similar value exists: '{value}'", "有一个相似的值：'{value}'", "có một giá trị tương tự: '{value}'"),

    // ---- errors: pasted server output (src/checks, `sipdoctor-cli check`)
    // ---- errors: an account typed for the client settings (clients::AccountError)
    StCommand => ("sipdoctor-cli settings: {e}", "sipdoctor-cli settings：{e}", "sipdoctor-cli settings: {e}"),
    StEmpty => ("the {field} is empty", "{field}为空", "{field} bị trống"),
    StBadChar => ("the {field} contains a character that cannot appear there: {what}", "{field}中含有不能出现在那里的字符：{what}", "{field} chứa một ký tự không được phép có ở đó: {what}"),
    StBadPort => ("the proxy port is not a number between 1 and 65535: {port}", "代理端口不是 1 到 65535 之间的数字：{port}", "cổng proxy không phải số từ 1 đến 65535: {port}"),
    FieldProxy => ("proxy", "代理", "proxy"),
    FieldRealm => ("realm", "认证域（realm）", "realm"),
    CkCommand => ("sipdoctor-cli check {kind}: {e}", "sipdoctor-cli check {kind}：{e}", "sipdoctor-cli check {kind}: {e}"),
    CkNotFail2ban => ("this does not look like fail2ban-client status output (expected lines such as 'Status for the jail: asterisk' or '`- Jail list: sshd, asterisk')", "这看起来不是 fail2ban-client status 的输出（应有 'Status for the jail: asterisk' 或 '`- Jail list: sshd, asterisk' 这样的行）", "nội dung này không giống kết quả của fail2ban-client status (cần có dòng như 'Status for the jail: asterisk' hoặc '`- Jail list: sshd, asterisk')"),
    CkNotClock => ("this does not look like clock status output (not recognised as timedatectl, chronyc tracking, ntpq -p, w32tm /query /status, sntp or systemsetup output)", "这看起来不是时钟状态的输出（无法识别为 timedatectl、chronyc tracking、ntpq -p、w32tm /query /status、sntp 或 systemsetup 的输出）", "nội dung này không giống kết quả trạng thái đồng hồ (không nhận ra là kết quả của timedatectl, chronyc tracking, ntpq -p, w32tm /query /status, sntp hay systemsetup)"),
    CkToolNoDaemon => ("the paste is an error message, not a status: \"{line}\" (timedatectl cannot work here; use `chronyc tracking` or `ntpq -p`)", "粘贴的是一条错误信息，而不是状态：\"{line}\"（timedatectl 在这里无法工作；请改用 `chronyc tracking` 或 `ntpq -p`）", "nội dung dán vào là một thông báo lỗi, không phải trạng thái: \"{line}\" (timedatectl không chạy được ở đây; hãy dùng `chronyc tracking` hoặc `ntpq -p`)"),
    CkToolChronydDown => ("the paste is an error message, not a status: chronyc could not reach chronyd: chronyd is not running, so nothing keeps the clock synchronised", "粘贴的是一条错误信息，而不是状态：chronyc 连不上 chronyd：chronyd 没有运行，所以没有任何程序在同步时钟", "nội dung dán vào là một thông báo lỗi, không phải trạng thái: chronyc không kết nối được chronyd: chronyd không chạy, nên không có gì giữ cho đồng hồ được đồng bộ"),
    CkToolError => ("the paste is an error message, not a status: \"{line}\"", "粘贴的是一条错误信息，而不是状态：\"{line}\"", "nội dung dán vào là một thông báo lỗi, không phải trạng thái: \"{line}\""),
    CkNotLog => ("this does not look like SIP server log output: no Asterisk, FreeSWITCH or Kamailio authentication failure line found in {n} {n|line|lines}", "这看起来不是 SIP 服务器日志：在 {n} 行中没有找到 Asterisk、FreeSWITCH 或 Kamailio 的认证失败记录", "nội dung này không giống nhật ký máy chủ SIP: không tìm thấy dòng báo xác thực thất bại nào của Asterisk, FreeSWITCH hay Kamailio trong {n} dòng"),
    CkMaxRetry => ("--maxretry must be between 1 and {max}, not {value}", "--maxretry 必须在 1 到 {max} 之间，而不是 {value}", "--maxretry phải nằm trong khoảng 1 đến {max}, không phải {value}"),
    CkFindTime => ("--findtime must be between 1 and {max} seconds (100 years), not {value}", "--findtime 必须在 1 到 {max} 秒（100 年）之间，而不是 {value}", "--findtime phải nằm trong khoảng 1 đến {max} giây (100 năm), không phải {value}"),
    CkBanTime => ("--bantime must be at most {max} seconds (100 years), or negative for a permanent ban, not {value}", "--bantime 最多为 {max} 秒（100 年），负数表示永久封禁，而不是 {value}", "--bantime tối đa là {max} giây (100 năm), hoặc số âm để cấm vĩnh viễn, không phải {value}"),

    // ---- errors: the digest calculator (`sipdoctor-cli digest`) and typed digest values
    DgBadAlgorithm => ("unsupported digest algorithm \"{value}\"", "不支持的摘要算法 \"{value}\"", "không hỗ trợ thuật toán digest \"{value}\""),
    DgBadQop => ("unsupported qop \"{value}\"", "不支持的 qop \"{value}\"", "không hỗ trợ qop \"{value}\""),
    DgQopNeeds => ("qop={qop} needs --nc and --cnonce (RFC 2617 3.2.2)", "qop={qop} 需要同时给出 --nc 和 --cnonce（RFC 2617 3.2.2）", "qop={qop} cần có --nc và --cnonce (RFC 2617 3.2.2)"),
    DgExactlyOne => ("give exactly one of --password-stdin and --ha1-stdin", "--password-stdin 和 --ha1-stdin 只能且必须给出一个", "hãy dùng đúng một trong hai: --password-stdin hoặc --ha1-stdin"),
    DgCannotReadBody => ("cannot read the body file {path}: {reason}", "无法读取消息体文件 {path}：{reason}", "không đọc được tệp nội dung (body) {path}: {reason}"),
    DgCannotReadSecret => ("cannot read the secret from standard input: {reason}", "无法从标准输入读取密码或 HA1：{reason}", "không đọc được mật khẩu hoặc HA1 từ đầu vào chuẩn (stdin): {reason}"),
    DgNoPassword => ("no password on standard input", "标准输入中没有密码", "đầu vào chuẩn (stdin) không có mật khẩu"),
    DgNoHa1 => ("no HA1 on standard input", "标准输入中没有 HA1", "đầu vào chuẩn (stdin) không có HA1"),
    DgHa1NotHex => ("the HA1 on standard input is not hexadecimal", "标准输入中的 HA1 不是十六进制", "HA1 ở đầu vào chuẩn (stdin) không phải số thập lục phân"),
    DgHa1Length => ("the HA1 on standard input has {n} hex digits; a {alg} HA1 has {want}", "标准输入中的 HA1 有 {n} 位十六进制数字；{alg} 的 HA1 应为 {want} 位", "HA1 ở đầu vào chuẩn (stdin) có {n} chữ số hex; HA1 của {alg} có {want} chữ số"),
    DgNoteAuthIntEmpty => ("note: qop=auth-int without --body-file: hashing an empty body", "注意：qop=auth-int 但没有 --body-file：按空消息体计算哈希", "lưu ý: qop=auth-int mà không có --body-file: tính hash với body rỗng"),
    DgNoteBodyIgnored => ("note: the body only counts with qop=auth-int; ignored", "注意：消息体只在 qop=auth-int 时参与计算；已忽略", "lưu ý: body chỉ được tính khi qop=auth-int; đã bỏ qua"),
    DgNoteInviteMethod => ("note: {method} carries the credentials of its INVITE: computed with method INVITE (RFC 3261 22.4)", "注意：{method} 沿用其 INVITE 的凭据：按方法 INVITE 计算（RFC 3261 22.4）", "lưu ý: {method} dùng lại thông tin xác thực của INVITE của nó: tính với phương thức INVITE (RFC 3261 22.4)"),
    DgCommand => ("sipdoctor-cli digest: {e}", "sipdoctor-cli digest：{e}", "sipdoctor-cli digest: {e}"),

    // ---- errors: the test client (`sipdoctor-cli probe`, the GUI's step 5), before anything is sent
    PbCommand => ("sipdoctor-cli probe: {e}", "sipdoctor-cli probe：{e}", "sipdoctor-cli probe: {e}"),
    PbTimeout => ("--timeout must be between 0 and 120 seconds", "--timeout 必须在 0 到 120 秒之间", "--timeout phải nằm trong khoảng 0 đến 120 giây"),
    PbBindUdp => ("--bind works with --transport udp only", "--bind 只能与 --transport udp 一起使用", "--bind chỉ dùng được với --transport udp"),
    PbTransport => ("the test client speaks UDP or TCP, not {transport}", "测试客户端只支持 UDP 或 TCP，不支持 {transport}", "máy khách thử chỉ dùng UDP hoặc TCP, không dùng {transport}"),
    PbNoServer => ("no server given", "没有填写服务器", "chưa nhập máy chủ"),
    PbNoBracket => ("\"{server}\": missing ']' after the IPv6 address", "\"{server}\"：IPv6 地址后缺少 ']'", "\"{server}\": thiếu ']' sau địa chỉ IPv6"),
    PbBadPort => ("\"{server}\": bad port \"{port}\"", "\"{server}\"：端口 \"{port}\" 无效", "\"{server}\": cổng \"{port}\" không hợp lệ"),
    PbUnexpected => ("\"{server}\": unexpected \"{rest}\"", "\"{server}\"：多余的 \"{rest}\"", "\"{server}\": thừa \"{rest}\""),
    PbNoHost => ("\"{server}\": no host", "\"{server}\"：缺少主机名", "\"{server}\": thiếu tên máy"),
    PbNoUser => ("no user given", "没有填写用户", "chưa nhập người dùng"),
    PbBadDomain => ("the domain must be a host name or address", "域名必须是主机名或地址", "tên miền phải là tên máy hoặc địa chỉ"),
    PbBadUser => ("the user may not contain spaces, '@', ':' or ';'", "用户中不能含有空格、'@'、':' 或 ';'", "người dùng không được chứa dấu cách, '@', ':' hay ';'"),
    PbBadTimers => ("timers must be positive", "定时器必须为正数", "các bộ hẹn giờ phải là số dương"),
    PbCannotReadSecret => ("could not read the secret: {reason}", "无法读取密码或 HA1：{reason}", "không đọc được mật khẩu hoặc HA1: {reason}"),
    PbEmptyPassword => ("the password on standard input is empty", "标准输入中的密码为空", "mật khẩu ở đầu vào chuẩn (stdin) bị trống"),
    PbEmptyHa1 => ("the HA1 on standard input is empty", "标准输入中的 HA1 为空", "HA1 ở đầu vào chuẩn (stdin) bị trống"),
    CalcEmpty => ("{field}: empty", "{field}：未填写", "{field}: chưa nhập"),
    CalcQopNeeds => ("qop needs nc and cnonce", "使用 qop 时需要填写 nc 和 cnonce", "dùng qop thì cần nhập nc và cnonce"),
    PbTypeSecret => ("type the password (or HA1) first", "请先输入密码（或 HA1）", "hãy nhập mật khẩu (hoặc HA1) trước"),
    PbDnsFailed => ("DNS failure: \"{host}\" could not be resolved ({reason})", "DNS 失败：无法解析 \"{host}\"（{reason}）", "lỗi DNS: không phân giải được \"{host}\" ({reason})"),
    PbDnsUnknownName => ("no such name in DNS", "DNS 中没有这个名称", "DNS không có tên này"),
    PbDnsTemporary => ("the DNS server could not be asked (a temporary failure: is the network up?)", "无法查询 DNS 服务器（暂时性故障：网络是否正常？）", "không hỏi được máy chủ DNS (lỗi tạm thời: mạng có hoạt động không?)"),
    PbDnsNoAddress => ("DNS failure: \"{host}\" has no address", "DNS 失败：\"{host}\" 没有地址", "lỗi DNS: \"{host}\" không có địa chỉ nào"),
    PbCouldNotSend => ("could not send: {reason}", "无法发送：{reason}", "không gửi được: {reason}"),
    PbReceiveFailed => ("receive failed: {reason}", "接收失败：{reason}", "nhận thất bại: {reason}"),

    PbBadChars => ("the {field} contains characters that cannot go into a SIP header", "{field}中含有不能写进 SIP 头字段的字符", "{field} chứa ký tự không được phép có trong header SIP"),
    FieldServer => ("server", "服务器", "máy chủ"),
    PbIcmpUnreachable => ("ICMP port unreachable came back", "收到了 ICMP 端口不可达（port unreachable）", "nhận lại ICMP port unreachable (cổng không tới được)"),
    PbServerReset => ("the server reset the connection", "服务器重置了连接", "máy chủ đã ngắt (reset) kết nối"),
    PbClosedNoAnswer => ("the server closed the TCP connection without answering", "服务器没有应答就关闭了 TCP 连接", "máy chủ đóng kết nối TCP mà không trả lời"),
    PbPacketLimit => ("stopped after {n} packets (safety limit)", "发送 {n} 个数据包后停止（安全上限）", "đã dừng sau {n} gói tin (giới hạn an toàn)"),
    PbTooManyRequests => ("stopped: too many requests in one test (safety limit)", "已停止：一次测试中的请求太多（安全上限）", "đã dừng: quá nhiều yêu cầu trong một lần thử (giới hạn an toàn)"),
    PbServerAnswered => ("the server answered {status}", "服务器应答了 {status}", "máy chủ trả lời {status}"),
    PbStaleLoop => ("the server keeps saying the nonce is stale", "服务器一再表示 nonce 已过期（stale）", "máy chủ cứ báo nonce đã cũ (stale)"),
    PbRedirectNoContact => ("the redirect has no Contact", "重定向中没有 Contact", "lệnh chuyển hướng không có Contact"),
    PbRedirectTls => ("redirect to {uri}: TLS is not supported by the test client", "重定向到 {uri}：测试客户端不支持 TLS", "chuyển hướng tới {uri}: máy khách thử không hỗ trợ TLS"),
    PbRedirectNotSip => ("redirect to {uri}: not a sip: URI", "重定向到 {uri}：不是 sip: URI", "chuyển hướng tới {uri}: không phải URI sip:"),
    PbRedirectTransport => ("redirect to {uri}: transport {transport} is not supported", "重定向到 {uri}：不支持传输方式 {transport}", "chuyển hướng tới {uri}: không hỗ trợ giao thức truyền {transport}"),
    PbTcpNoHeaderEnd => ("no end of header section within {max} bytes", "{max} 字节内没有找到头部的结尾", "không thấy điểm kết thúc phần header trong {max} byte"),
    PbTcpBadLength => ("invalid Content-Length over TCP", "TCP 上的 Content-Length 无效", "Content-Length không hợp lệ trên TCP"),
    PbTcpNoLength => ("message over TCP without Content-Length (RFC 3261 18.3 requires it)", "TCP 上的消息没有 Content-Length（RFC 3261 18.3 要求必须有）", "bản tin qua TCP không có Content-Length (RFC 3261 18.3 bắt buộc phải có)"),
    PbTcpTooLong => ("Content-Length {len} is too large", "Content-Length {len} 太大", "Content-Length {len} quá lớn"),
    PbBindTcp => ("choosing the source address ({addr}) works with UDP only", "指定源地址（{addr}）只适用于 UDP", "chọn địa chỉ nguồn ({addr}) chỉ dùng được với UDP"),
    ChUnreadable => ("{e}; unreadable challenge: {bad}", "{e}；无法读取的质询：{bad}", "{e}; thách thức không đọc được: {bad}"),

    // ---- errors: choosing the challenge to answer (probe::choose_challenge)
    ChNoScheme => ("the challenge carries no usable authentication scheme", "该质询中没有可用的认证方式", "thách thức không có phương thức xác thực nào dùng được"),
    ChNoneUsable => ("no challenge this client can answer (offered: {offered})", "没有本客户端能应答的质询（服务器提供的是：{offered}）", "không có thách thức nào mà máy khách này trả lời được (máy chủ đưa ra: {offered})"),
    ChNoRealmNonce => ("Digest {alg} without realm or nonce", "Digest {alg}，缺少 realm 或 nonce", "Digest {alg} thiếu realm hoặc nonce"),
    // ---- `sipdoctor-cli probe` text (the ladder's details are the PrDet* texts above)
    /// Two texts one after the other (a line and its tail).
    Concat2 => ("{a}{b}", "{a}{b}", "{a}{b}"),
    PcHeadRegister => ("test REGISTER {user} (auth user {au}) -> {server} over {transport}", "测试 REGISTER {user}（认证用户 {au}）-> {server}，经 {transport}", "REGISTER thử {user} (người dùng xác thực {au}) -> {server} qua {transport}"),
    PcHeadOptions => ("OPTIONS ping -> {server} over {transport}", "OPTIONS 探测 -> {server}，经 {transport}", "ping OPTIONS -> {server} qua {transport}"),
    PcVerdict => ("verdict: {verdict}", "结论：{verdict}", "kết luận: {verdict}"),
    PcPhone => ("phone (capture): {p}", "话机（抓包中）：{p}", "điện thoại (trong tệp bắt gói): {p}"),
    PcPhoneDesc => ("REGISTER of {user} from {client} to {server}: {outcome}{last}", "{user} 的 REGISTER，从 {client} 发往 {server}：{outcome}{last}", "REGISTER của {user} từ {client} tới {server}: {outcome}{last}"),
    PcLastStatus => (" (last status {status})", "（最后的状态码 {status}）", " (mã trạng thái cuối {status})"),

    // ---- `sipdoctor-cli check fail2ban` (checks::Fail2banLine) and the GUI's step 3
    F2Jails => ("Jails: {list} · {sip}", "Jail 列表：{list} · {sip}", "Danh sách jail: {list} · {sip}"),
    F2NoSipJail => ("no SIP jail among them (asterisk, freeswitch, kamailio, ...)", "其中没有 SIP 的 jail（asterisk、freeswitch、kamailio……）", "không có jail SIP nào (asterisk, freeswitch, kamailio, ...)"),
    F2SipJails => ("SIP jail(s): {list} - run `fail2ban-client status <jail>` for each", "SIP 的 jail：{list}，请对每个 jail 执行 `fail2ban-client status <jail>`", "Jail SIP: {list} - chạy `fail2ban-client status <jail>` cho từng jail"),
    F2Jail => ("Jail {name}: {cb} currently banned, {tb} total banned, {cf} currently failing ({note})", "Jail {name}：当前封禁 {cb} 个，累计封禁 {tb} 个，当前失败 {cf} 个（{note}）", "Jail {name}: {cb} đang bị chặn, tổng cộng {tb} đã bị chặn, {cf} đang thất bại ({note})"),
    F2BannedList => ("; banned: {list}", "；已封禁：{list}", "; bị chặn: {list}"),
    F2NotBanned => ("Not banned: {ip} is not in any banned list shown here{jails}", "未被封禁：{ip} 不在这里显示的任何封禁列表中{jails}", "Không bị chặn: {ip} không có trong danh sách chặn nào ở đây{jails}"),
    F2InJails => (" (jail: {list})", "（jail：{list}）", " (jail: {list})"),
    F2Banned => ("BANNED: {ip} in jail {jail} (as {entry}): {note}", "已被封禁：{ip} 在 jail {jail} 中（记录为 {entry}）：{note}", "BỊ CHẶN: {ip} trong jail {jail} (ghi là {entry}): {note}"),
    F2NoAddress => ("No address looked up: give the phone's public IP address, as the server sees it", "没有查找地址：请输入服务器看到的话机公网 IP 地址", "Chưa tra địa chỉ nào: hãy nhập địa chỉ IP công khai của điện thoại mà máy chủ thấy"),
    F2Skipped => ("({n} line(s) not part of fail2ban output were skipped)", "（跳过了 {n} 行不属于 fail2ban 输出的内容）", "(đã bỏ qua {n} dòng không thuộc kết quả của fail2ban)"),
    F2KindSip => ("a SIP jail: an address banned here cannot register or call", "SIP 的 jail：在这里被封禁的地址无法注册，也无法呼叫", "jail SIP: địa chỉ bị chặn ở đây không đăng ký được và không gọi được"),
    F2KindRecidive => ("the recidive jail bans addresses banned repeatedly by other jails, for a long time and usually on all ports: it blocks SIP too", "recidive 这个 jail 会封禁被其他 jail 反复封禁过的地址，封禁时间长，而且通常封锁所有端口：SIP 也会被挡住", "jail recidive chặn các địa chỉ đã bị các jail khác chặn nhiều lần, chặn lâu và thường trên mọi cổng: nó cũng chặn cả SIP"),
    F2KindNotSip => ("not a SIP jail: a ban here blocks that service only (unless its action bans all ports); paste the output of `fail2ban-client status` to see the SIP jail's name", "不是 SIP 的 jail：这里的封禁只影响该服务（除非它的 action 封锁所有端口）；请粘贴 `fail2ban-client status` 的输出，查看 SIP 的 jail 叫什么名字", "không phải jail SIP: bị chặn ở đây chỉ chặn dịch vụ đó (trừ khi action của nó chặn mọi cổng); hãy dán kết quả của `fail2ban-client status` để xem tên jail SIP"),
    F2KindUnknown => ("a jail name we do not know: check its filter and logpath", "不认识的 jail 名称：请检查它的 filter 和 logpath", "tên jail không quen: hãy kiểm tra filter và logpath của nó"),
    CkUnban => ("Unban: {cmd}", "解封：{cmd}", "Gỡ chặn: {cmd}"),
    CkNext => ("next: {cmd}", "下一步：{cmd}", "bước tiếp theo: {cmd}"),
    CkNote => ("Note: {note}.", "注意：{note}。", "Lưu ý: {note}."),

    // ---- `sipdoctor-cli check clock`
    CkClockProblem => ("Problem: fix time synchronisation (e.g. `timedatectl set-ntp true`, `chronyc makestep`, `w32tm /resync`), then retry the registration.", "问题：请修复时间同步（例如 `timedatectl set-ntp true`、`chronyc makestep`、`w32tm /resync`），然后重新注册。", "Vấn đề: hãy sửa việc đồng bộ thời gian (ví dụ `timedatectl set-ntp true`, `chronyc makestep`, `w32tm /resync`), rồi thử đăng ký lại."),

    // ---- `sipdoctor-cli check log` (checks::serverlog)
    LgHead => ("{events} auth event(s) in {lines} line(s) ({skipped} skipped)", "{lines} 行中有 {events} 条认证事件（跳过 {skipped} 行）", "{events} sự kiện xác thực trong {lines} dòng (bỏ qua {skipped} dòng)"),
    LgLineNo => ("line {n}", "行 {n}", "dòng {n}"),
    LgMore => ("... {n} more", "……另有 {n} 条", "... còn {n} sự kiện nữa"),
    LgGuide => ("Guide for {n} line(s): sipdoctor-cli kb show {id}", "{n} 行的处理指南：sipdoctor-cli kb show {id}", "Hướng dẫn cho {n} dòng: sipdoctor-cli kb show {id}"),
    LgNoTime => ("{n} event(s) have no timestamp; they are counted as if they happened together", "{n} 条事件没有时间戳；按同时发生来计算", "{n} sự kiện không có dấu thời gian; chúng được tính như thể xảy ra cùng lúc"),
    LgYearless => ("syslog dates carry no year; a log spanning New Year is mis-ordered", "syslog 的日期不带年份；跨年的日志顺序会出错", "ngày tháng của syslog không có năm; nhật ký kéo dài qua năm mới sẽ bị sắp sai thứ tự"),
    LgNoFailure => ("{ip}: no failure from this address in the log.", "{ip}：日志中没有来自这个地址的失败记录。", "{ip}: nhật ký không có lần thất bại nào từ địa chỉ này."),
    LgBannedAt => ("{addr}: {n} failure(s); with maxretry {max} / findtime {find} s this address would be banned at attempt {attempt} (line {line})", "{addr}：失败 {n} 次；按 maxretry {max} / findtime {find} 秒，这个地址会在第 {attempt} 次尝试时被封禁（第 {line} 行）", "{addr}: thất bại {n} lần; với maxretry {max} / findtime {find} giây, địa chỉ này sẽ bị chặn ở lần thử thứ {attempt} (dòng {line})"),
    LgNotBanned => ("{addr}: {n} failure(s); below maxretry {max} within findtime {find} s, not banned", "{addr}：失败 {n} 次；在 findtime {find} 秒内未达到 maxretry {max}，不会被封禁", "{addr}: thất bại {n} lần; chưa tới maxretry {max} trong findtime {find} giây, không bị chặn"),
    LgPike => ("; rate limiter (pike) blocked it {n} time(s)", "；限速器（pike）拦截了它 {n} 次", "; bộ giới hạn tốc độ (pike) đã chặn nó {n} lần"),
    LgAccounts => ("; accounts: {list}", "；账号：{list}", "; tài khoản: {list}"),
    LgDefaults => ("(maxretry 5 / findtime 600 s are fail2ban's jail.conf defaults; its [asterisk] and [freeswitch] jails use maxretry 10: pass --maxretry to match the server)", "（maxretry 5 / findtime 600 秒是 fail2ban 在 jail.conf 中的默认值；它的 [asterisk] 和 [freeswitch] jail 用的是 maxretry 10：请用 --maxretry 传入与服务器一致的值）", "(maxretry 5 / findtime 600 giây là giá trị mặc định trong jail.conf của fail2ban; các jail [asterisk] và [freeswitch] của nó dùng maxretry 10: hãy truyền --maxretry cho khớp với máy chủ)"),
    /// A reason in the server's own words (a log value): quoted outside English.
    LgServerWords => ("{text}", "\"{text}\"", "\"{text}\""),
    LgSrvSecurityLog => ("Asterisk security log", "Asterisk 安全日志", "nhật ký bảo mật Asterisk"),
    LgFsAuthFailure => ("SIP auth failure on sofia profile '{profile}'", "sofia profile '{profile}' 上认证失败（SIP auth failure）", "xác thực thất bại (SIP auth failure) trên sofia profile '{profile}'"),
    LgFsAuthChallenge => ("SIP auth challenge on sofia profile '{profile}'", "sofia profile '{profile}' 发出了认证质询（SIP auth challenge）", "thách thức xác thực (SIP auth challenge) trên sofia profile '{profile}'"),
    LgFsNoUser => ("Can't find user (no such user in that domain)", "找不到用户（Can't find user：该域名下没有这个用户）", "không tìm thấy người dùng (Can't find user: tên miền đó không có người dùng này)"),
    LgPjsipAcl => ("did not pass ACL test (global type=acl, 403)", "未通过 ACL 检查（日志原文 \"did not pass ACL test\"；全局 type=acl，403）", "không qua được kiểm tra ACL (nhật ký ghi \"did not pass ACL test\"; type=acl toàn cục, 403)"),
    LgNoAor => ("endpoint has no configured AORs (403)", "endpoint 没有配置 AOR（403）", "endpoint chưa được cấu hình AOR nào (403)"),
    LgHtable => ("the script's own failed-authentication counter (htable) blocks the source", "脚本自己的认证失败计数器（htable）封锁了这个来源", "bộ đếm xác thực thất bại riêng của script (htable) đang chặn nguồn này"),
    LgPikeCfg => ("pike blocking (request rate too high)", "pike 拦截（请求速率过高）", "pike chặn (tốc độ yêu cầu quá cao)"),
    LgPikeMod => ("PIKE - BLOCKing ip (request rate too high)", "PIKE - BLOCKing ip（请求速率过高）", "PIKE - BLOCKing ip (tốc độ yêu cầu quá cao)"),
    LgKamRc => ("{msg} [auth_check: {rc}]", "{msg} [auth_check：{rc}]", "{msg} [auth_check: {rc}]"),
    KamRc1 => ("generic error (bad or unparsable credentials)", "一般错误（凭据有误或无法解析）", "lỗi chung (thông tin xác thực sai hoặc không phân tích được)"),
    KamRc2 => ("invalid password", "密码错误", "sai mật khẩu"),
    KamRc3 => ("invalid user", "用户不存在", "người dùng không hợp lệ"),
    KamRc4 => ("nonce expired", "nonce 已过期", "nonce đã hết hạn"),
    KamRc5 => ("credentials missing", "缺少凭据", "thiếu thông tin xác thực"),
    KamRc6 => ("nonce reused", "nonce 被重复使用", "nonce bị dùng lại"),
    KamRc8 => ("auth user mismatch", "认证用户不一致", "người dùng xác thực không khớp"),

    // ---- `sipdoctor-cli settings` and `digest` text
    StAccountHead => ("Account {user}@{domain} (auth user {au}), {transport} to {host}:{port}", "账号 {user}@{domain}（认证用户 {au}），经 {transport} 连接 {host}:{port}", "Tài khoản {user}@{domain} (người dùng xác thực {au}), {transport} tới {host}:{port}"),
    StPassword => ("Password: {p}", "密码：{p}", "Mật khẩu: {p}"),
    StLinphone => ("Linphone (add to linphonerc, or a provisioning file)", "Linphone（加入 linphonerc，或写进自动配置文件）", "Linphone (thêm vào linphonerc, hoặc vào tệp cấu hình tự động)"),
    StZoiper => ("Zoiper (account settings)", "Zoiper（账号设置）", "Zoiper (thiết lập tài khoản)"),
    StBaresip => ("baresip (~/.baresip/accounts, one line)", "baresip（~/.baresip/accounts，一行）", "baresip (~/.baresip/accounts, một dòng)"),
    StSipp => ("sipp (save the scenario below as register.xml)", "sipp（把下面的场景保存为 register.xml）", "sipp (lưu kịch bản bên dưới thành register.xml)"),
    // ---- the desktop app's lines on standard error before a window opens (gui::run_app)
    GuiNoWgpu => ("sipdoctor: the wgpu renderer did not start ({e}); trying OpenGL", "sipdoctor：wgpu 渲染器未能启动（{e}）；改用 OpenGL 重试", "sipdoctor: trình kết xuất wgpu không khởi động được ({e}); đang thử OpenGL"),
    GuiNoWindow => ("sipdoctor: cannot open a window: {e}\nsipdoctor: the command-line tool works without one: sipdoctor-cli --help", "sipdoctor：无法打开窗口：{e}\nsipdoctor：命令行工具不需要窗口也能使用：sipdoctor-cli --help", "sipdoctor: không mở được cửa sổ: {e}\nsipdoctor: công cụ dòng lệnh chạy được mà không cần cửa sổ: sipdoctor-cli --help"),
    KbEntries => ("{n} entries", "共 {n} 个条目", "{n} mục"),
    KbNoMatch => ("no entry matches", "没有匹配的条目", "không có mục nào khớp"),
    DgMatch => ("match", "匹配", "khớp"),
    DgNoMatch => ("no match: computed {computed}, expected {expected}", "不匹配：计算结果 {computed}，期望值 {expected}", "không khớp: tính ra {computed}, mong đợi {expected}"),

    // ---- `sipdoctor-cli --help` (cli::help): clap's own words, then each command's about and
    // each argument's help; English is the text clap shows (the doc comments of src/cli).
    HlUsage => ("Usage:", "用法：", "Cách dùng:"),
    HlCommands => ("Commands:", "命令：", "Lệnh:"),
    HlArguments => ("Arguments:", "参数：", "Tham số:"),
    HlOptions => ("Options:", "选项：", "Tùy chọn:"),
    HlPossibleValues => ("Possible values:", "可选值：", "Giá trị có thể:"),
    HlDefault => ("[default: {value}]", "（默认：{value}）", "[mặc định: {value}]"),
    HlValues => ("[possible values: {list}]", "（可选值：{list}）", "[giá trị có thể: {list}]"),
    HlPrintHelp => ("Print help", "显示帮助", "Hiện trợ giúp"),
    HlPrintHelpMore => ("Print help (see more with '--help')", "显示帮助（用 '--help' 查看更多）", "Hiện trợ giúp (xem thêm bằng '--help')"),
    HlPrintHelpSummary => ("Print help (see a summary with '-h')", "显示帮助（用 '-h' 查看摘要）", "Hiện trợ giúp (xem bản tóm tắt bằng '-h')"),
    HlPrintVersion => ("Print version", "显示版本", "Hiện phiên bản"),
    HlHelpCommand => ("Print this message or the help of the given subcommand(s)", "显示本帮助，或所给子命令的帮助", "Hiện trợ giúp này hoặc trợ giúp của các lệnh con đã cho"),
    HlAbout => ("Diagnose SIP authentication failures (401/407/403) from pcap/pcapng captures", "从 pcap/pcapng 抓包诊断 SIP 认证失败（401/407/403）", "Chẩn đoán lỗi xác thực SIP (401/407/403) từ tệp bắt gói pcap/pcapng"),
    HlCapture => ("The capture (pcap or pcapng)", "抓包文件（pcap 或 pcapng）", "Tệp bắt gói (pcap hoặc pcapng)"),
    HlJsonText => ("Print one JSON object instead of text", "输出一个 JSON 对象，而不是文本", "Xuất một đối tượng JSON thay cho văn bản"),
    HlJsonTable => ("Print one JSON object instead of a table", "输出一个 JSON 对象，而不是表格", "Xuất một đối tượng JSON thay cho bảng"),
    HlJsonOne => ("Print one JSON object", "输出一个 JSON 对象", "Xuất một đối tượng JSON"),
    HlJsonPlain => ("Print JSON instead of text", "输出 JSON，而不是文本", "Xuất JSON thay cho văn bản"),
    HlPasswordStdin => ("Read the password from standard input (one line)", "从标准输入读取密码（一行）", "Đọc mật khẩu từ đầu vào chuẩn (một dòng)"),
    HlHa1Stdin => ("Read the stored HA1 (hex) from standard input instead of a password", "从标准输入读取保存的 HA1（十六进制），代替密码", "Đọc HA1 đã lưu (dạng hex) từ đầu vào chuẩn thay cho mật khẩu"),
    HlFlows => ("List every SIP message and group them into auth exchanges (a ladder)", "列出每条 SIP 消息，并把它们归入认证交互（时序图）", "Liệt kê mọi bản tin SIP và gom chúng thành các trao đổi xác thực (sơ đồ bậc thang)"),
    HlFlowsLang => (
        "Language of the text's words: en, zh, vi (messages, addresses and codes stay as they are). Without it the text follows the environment; the JSON is English unless given",
        "文本用词的语言：en、zh、vi（消息、地址和代码保持原样）。不给出时，文本跟随环境设置；JSON 除非给出，否则为英文",
        "Ngôn ngữ của văn bản: en, zh, vi (bản tin, địa chỉ và mã giữ nguyên). Không có tùy chọn này thì văn bản theo môi trường; JSON là tiếng Anh trừ khi được chỉ định"
    ),
    HlAnalyze => ("Full diagnosis: findings, exchanges, and (with a secret on stdin) digest verification", "完整诊断：发现的问题、交互，以及（标准输入给出密码或 HA1 时）摘要校验", "Chẩn đoán đầy đủ: các phát hiện, các trao đổi, và (khi có mật khẩu hoặc HA1 trên stdin) kiểm tra digest"),
    HlAnPasswordStdin => ("Read the account's password from standard input (first line) and verify every digest", "从标准输入读取账号的密码（第一行），并校验每一个摘要", "Đọc mật khẩu của tài khoản từ đầu vào chuẩn (dòng đầu tiên) và kiểm tra mọi digest"),
    HlAnHa1Stdin => ("Read the HA1 the server stores (hex) from standard input instead of a password", "从标准输入读取服务器保存的 HA1（十六进制），代替密码", "Đọc HA1 mà máy chủ lưu (dạng hex) từ đầu vào chuẩn thay cho mật khẩu"),
    HlAnUsername => ("The username the server expects (optional, sharpens \"which input differs\")", "服务器期望的用户名（可选，让“哪一项输入不同”更准确）", "Tên người dùng mà máy chủ chờ (tùy chọn, giúp chỉ rõ “đầu vào nào khác”)"),
    HlAnRealm => ("The realm the server uses (optional)", "服务器使用的认证域（realm，可选）", "realm mà máy chủ dùng (tùy chọn)"),
    HlAnLang => (
        "Language of every sentence (findings, verdict, steps, fix) in text, JSON and reports: en, zh, vi. Values, codes and field names stay as they are. Without it the text and the report follow the environment (as the errors do), and the JSON stays English",
        "文本、JSON 和报告中每一句话（发现的问题、结论、步骤、修复）的语言：en、zh、vi。值、代码和字段名保持原样。不给出时，文本和报告跟随环境设置（与错误信息一样），JSON 保持英文",
        "Ngôn ngữ của mọi câu (phát hiện, kết luận, các bước, cách sửa) trong văn bản, JSON và báo cáo: en, zh, vi. Giá trị, mã và tên trường giữ nguyên. Không có tùy chọn này thì văn bản và báo cáo theo môi trường (như các thông báo lỗi), còn JSON vẫn là tiếng Anh"
    ),
    HlAnReport => ("Write a Markdown (.md) or HTML (.html) report to this file as well", "同时把 Markdown（.md）或 HTML（.html）报告写入该文件", "Đồng thời ghi báo cáo Markdown (.md) hoặc HTML (.html) vào tệp này"),
    HlAnSave => ("Save the relevant packets (the auth exchanges and ICMP errors) to this pcap file", "把相关的数据包（认证交互和 ICMP 错误）保存到该 pcap 文件", "Lưu các gói tin liên quan (các trao đổi xác thực và lỗi ICMP) vào tệp pcap này"),
    HlAnAccount => ("Narrow every output to the accounts of this user or auth username (any case)", "所有输出只保留该用户或认证用户名的账号（不区分大小写）", "Thu hẹp mọi kết quả về các tài khoản của người dùng hoặc tên người dùng xác thực này (không phân biệt hoa thường)"),
    HlAnClient => ("Narrow every output to the accounts of this client IP, or IP:PORT", "所有输出只保留该客户端 IP（或 IP:端口）的账号", "Thu hẹp mọi kết quả về các tài khoản của IP máy khách này, hoặc IP:CỔNG"),
    HlAccounts => ("One row per account (user + client IP): outcome, root cause, attempts, first/last seen", "每个账号（用户 + 客户端 IP）一行：结果、根本原因、尝试次数、首次/最后出现", "Mỗi tài khoản (người dùng + IP máy khách) một dòng: kết quả, nguyên nhân gốc, số lần thử, thấy lần đầu/lần cuối"),
    HlAcProblems => ("Only the accounts with a problem (worst outcome not accepted)", "只显示有问题的账号（最差结果不是“已接受”）", "Chỉ các tài khoản có vấn đề (kết quả tệ nhất không phải “được chấp nhận”)"),
    HlAcAccount => ("Only this user or auth username (any case)", "只显示该用户或认证用户名（不区分大小写）", "Chỉ người dùng hoặc tên người dùng xác thực này (không phân biệt hoa thường)"),
    HlAcClient => ("Only accounts from this client address", "只显示来自该客户端地址的账号", "Chỉ các tài khoản từ địa chỉ máy khách này"),
    HlAcLang => (
        "Language of the table's words: en, zh, vi (codes and values stay as they are; the JSON is the same in every language). Without it the table follows the environment, as the errors do",
        "表格用词的语言：en、zh、vi（代码和值保持原样；JSON 在各语言中都相同）。不给出时，表格跟随环境设置，与错误信息一样",
        "Ngôn ngữ của bảng: en, zh, vi (mã và giá trị giữ nguyên; JSON giống nhau ở mọi ngôn ngữ). Không có tùy chọn này thì bảng theo môi trường, như các thông báo lỗi"
    ),
    HlDigest => ("Compute a digest response from flags (the digest calculator)", "根据参数计算摘要应答（摘要计算器）", "Tính response của digest từ các tham số (máy tính digest)"),
    HlDgUsername => ("User name (the auth user name, not hashed even with --userhash)", "用户名（认证用户名；即使加了 --userhash 也不做哈希）", "Tên người dùng (tên người dùng xác thực, không băm kể cả khi có --userhash)"),
    HlDgRealm => ("Realm, exactly as in the challenge", "认证域（realm），与质询中的完全一致", "realm, đúng như trong thách thức"),
    HlDgMethod => ("Request method (ACK and CANCEL are computed with INVITE, RFC 3261 22.4)", "请求方法（ACK 和 CANCEL 按 INVITE 计算，RFC 3261 22.4）", "Phương thức của yêu cầu (ACK và CANCEL được tính theo INVITE, RFC 3261 22.4)"),
    HlDgUri => ("The digest uri exactly as sent in the Authorization header", "摘要 uri，与 Authorization 头中发送的完全一致", "uri của digest, đúng như đã gửi trong header Authorization"),
    HlDgNonce => ("Nonce from the challenge", "质询中的 nonce", "nonce lấy từ thách thức"),
    HlDgQop => ("qop: auth or auth-int (absent: the RFC 2069 form)", "qop：auth 或 auth-int（不给出：RFC 2069 形式）", "qop: auth hoặc auth-int (không có: dạng RFC 2069)"),
    HlDgNc => ("Nonce count, e.g. 00000001 (required with --qop)", "nonce 计数，例如 00000001（有 --qop 时必需）", "Bộ đếm nonce, ví dụ 00000001 (bắt buộc khi có --qop)"),
    HlDgCnonce => ("Client nonce (required with --qop)", "客户端 nonce（有 --qop 时必需）", "nonce của máy khách (bắt buộc khi có --qop)"),
    HlDgAlgorithm => ("MD5 (default), MD5-sess, SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess", "MD5（默认）、MD5-sess、SHA-256、SHA-256-sess、SHA-512-256、SHA-512-256-sess", "MD5 (mặc định), MD5-sess, SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess"),
    HlDgUserhash => ("Also print the hashed user name (RFC 7616 3.4.4)", "同时输出哈希后的用户名（RFC 7616 3.4.4）", "Xuất thêm tên người dùng đã băm (RFC 7616 3.4.4)"),
    HlDgBodyFile => ("The message body, for qop=auth-int (hashed byte for byte)", "消息体，用于 qop=auth-int（逐字节计算哈希）", "Phần thân bản tin, cho qop=auth-int (băm từng byte)"),
    HlDgExpect => ("Compare with this response: exit 0 on a match, 1 on no match", "与这个 response 比较：匹配时退出状态为 0，不匹配时为 1", "So sánh với response này: mã thoát 0 nếu khớp, 1 nếu không khớp"),
    HlDgLang => ("Language of the text, notes and errors: en, zh or vi (default: the environment's, see README; JSON is the same in every language)", "文本、提示和错误的语言：en、zh 或 vi（默认：跟随环境设置，见 README；JSON 在各语言中都相同）", "Ngôn ngữ của văn bản, ghi chú và lỗi: en, zh hoặc vi (mặc định: theo môi trường, xem README; JSON giống nhau ở mọi ngôn ngữ)"),
    HlKb => ("The knowledge base: list, show and match entries", "知识库：列出、显示和匹配条目", "Cơ sở tri thức: liệt kê, hiển thị và so khớp các mục"),
    HlKbList => ("List every entry: id, error code, diagnosis codes, title", "列出每个条目：id、错误码、诊断代码、标题", "Liệt kê mọi mục: id, mã lỗi, mã chẩn đoán, tiêu đề"),
    HlKbJsonArray => ("Print a JSON array instead of a table", "输出一个 JSON 数组，而不是表格", "Xuất một mảng JSON thay cho bảng"),
    HlKbListLang => ("Title language: en, zh or vi (default: the environment's, see README; JSON: en)", "标题的语言：en、zh 或 vi（默认：跟随环境设置，见 README；JSON：en）", "Ngôn ngữ của tiêu đề: en, zh hoặc vi (mặc định: theo môi trường, xem README; JSON: en)"),
    HlKbShow => ("Show one entry as a guided fix (or, with --json, the entry exactly as stored)", "把一个条目显示为分步修复指南（或用 --json 显示条目的原始存储内容）", "Hiển thị một mục dưới dạng hướng dẫn sửa từng bước (hoặc, với --json, đúng nội dung mục như đã lưu)"),
    HlKbId => ("Entry id, e.g. communication/sip-stale-nonce (the `communication/` prefix is optional)", "条目 id，例如 communication/sip-stale-nonce（前缀 `communication/` 可省略）", "id của mục, ví dụ communication/sip-stale-nonce (tiền tố `communication/` có thể bỏ)"),
    HlKbShowLang => ("Language: en, zh or vi (default: the environment's, see README)", "语言：en、zh 或 vi（默认：跟随环境设置，见 README）", "Ngôn ngữ: en, zh hoặc vi (mặc định: theo môi trường, xem README)"),
    HlKbStored => ("Print the stored JSON", "输出存储的 JSON", "Xuất JSON đã lưu"),
    HlKbMatch => ("Rank the entries that explain a pasted log line, SIP status line or header", "为粘贴的日志行、SIP 状态行或头字段排出能解释它的条目", "Xếp hạng các mục giải thích được một dòng log, dòng trạng thái SIP hoặc header đã dán"),
    HlKbText => ("The text (quote it); several lines are allowed", "文本（请加引号）；可以有多行", "Văn bản (hãy đặt trong dấu nháy); được phép nhiều dòng"),
    HlKbMatchJson => ("Print `[{\"id\":..,\"score\":..,\"title\":..}]`", "输出 `[{\"id\":..,\"score\":..,\"title\":..}]`", "Xuất `[{\"id\":..,\"score\":..,\"title\":..}]`"),
    HlKbLimit => ("Show at most this many entries", "最多显示这么多个条目", "Hiển thị tối đa bấy nhiêu mục"),
    HlKbMatchLang => ("Title language of the text: en, zh or vi (default: the environment's; JSON: en)", "文本中标题的语言：en、zh 或 vi（默认：跟随环境设置；JSON：en）", "Ngôn ngữ tiêu đề của văn bản: en, zh hoặc vi (mặc định: theo môi trường; JSON: en)"),
    HlCheck => ("Parse pasted server output: fail2ban status, clock status, server log lines", "解析粘贴的服务器输出：fail2ban 状态、时钟状态、服务器日志行", "Phân tích đầu ra đã dán của máy chủ: trạng thái fail2ban, trạng thái đồng hồ, các dòng log của máy chủ"),
    HlCkKind => ("What the standard input holds", "标准输入中是什么内容", "Đầu vào chuẩn chứa gì"),
    HlCkFail2ban => ("`fail2ban-client status` and/or `fail2ban-client status <jail>` output", "`fail2ban-client status` 和/或 `fail2ban-client status <jail>` 的输出", "kết quả của `fail2ban-client status` và/hoặc `fail2ban-client status <jail>`"),
    HlCkClock => ("`timedatectl`, `chronyc tracking`, `ntpq -p`, `w32tm /query /status`, macOS `sntp`", "`timedatectl`、`chronyc tracking`、`ntpq -p`、`w32tm /query /status`、macOS 的 `sntp` 的输出", "kết quả của `timedatectl`, `chronyc tracking`, `ntpq -p`, `w32tm /query /status`, `sntp` trên macOS"),
    HlCkLog => ("Asterisk, FreeSWITCH or Kamailio log lines", "Asterisk、FreeSWITCH 或 Kamailio 的日志行", "Các dòng log của Asterisk, FreeSWITCH hoặc Kamailio"),
    HlCkIp => ("The phone's address (from the capture): is it banned / failing?", "话机的地址（来自抓包）：它是否被封禁或认证失败？", "Địa chỉ của điện thoại (lấy từ tệp bắt gói): nó có bị cấm hoặc đang thất bại không?"),
    HlCkMaxretry => (
        "fail2ban maxretry for `log` (default: 5 from jail.conf [DEFAULT]; the shipped [asterisk] and [freeswitch] jails use 10: pass it when the server uses them)",
        "`log` 使用的 fail2ban maxretry（默认：jail.conf [DEFAULT] 中的 5；自带的 [asterisk] 和 [freeswitch] jail 用 10：服务器使用它们时请给出）",
        "maxretry của fail2ban cho `log` (mặc định: 5, theo [DEFAULT] của jail.conf; các jail [asterisk] và [freeswitch] có sẵn dùng 10: hãy chỉ định khi máy chủ dùng chúng)"
    ),
    HlCkFindtime => ("fail2ban findtime in seconds for `log` (default 600)", "`log` 使用的 fail2ban findtime，单位为秒（默认 600）", "findtime của fail2ban cho `log`, tính bằng giây (mặc định 600)"),
    HlCkBantime => ("fail2ban bantime in seconds for `log` (default 600; negative: a permanent ban)", "`log` 使用的 fail2ban bantime，单位为秒（默认 600；负数：永久封禁）", "bantime của fail2ban cho `log`, tính bằng giây (mặc định 600; số âm: cấm vĩnh viễn)"),
    HlLangText => ("Language of the text: en, zh or vi (default: the environment's, see README; JSON is the same in every language)", "文本的语言：en、zh 或 vi（默认：跟随环境设置，见 README；JSON 在各语言中都相同）", "Ngôn ngữ của văn bản: en, zh hoặc vi (mặc định: theo môi trường, xem README; JSON giống nhau ở mọi ngôn ngữ)"),
    HlProbe => ("Send a test REGISTER or OPTIONS from this machine (the known-good client)", "从这台机器发送测试用的 REGISTER 或 OPTIONS（已知正常的客户端）", "Gửi REGISTER hoặc OPTIONS thử nghiệm từ máy này (máy khách được biết là chạy đúng)"),
    HlPrRegister => ("Register with the given credentials, then unregister (Expires: 0)", "用给出的凭据注册，然后注销（Expires: 0）", "Đăng ký bằng thông tin xác thực đã cho, rồi huỷ đăng ký (Expires: 0)"),
    HlPrOptions => ("Send one OPTIONS: is anything answering SIP there?", "发送一个 OPTIONS：那里有没有东西应答 SIP？", "Gửi một OPTIONS: ở đó có gì trả lời SIP không?"),
    HlPrServer => ("The SIP server, HOST[:PORT] (IPv6 as [ADDR]:PORT); only this host is contacted", "SIP 服务器，主机[:端口]（IPv6 写成 [地址]:端口）；只会连接这台主机", "Máy chủ SIP, HOST[:CỔNG] (IPv6 viết [ĐỊA_CHỈ]:CỔNG); chỉ liên lạc với máy này"),
    HlPrTransport => ("udp or tcp", "udp 或 tcp", "udp hoặc tcp"),
    HlPrBind => ("Local source address (UDP only), e.g. to check a source-address ACL", "本地源地址（仅 UDP），例如用来检查基于源地址的 ACL", "Địa chỉ nguồn cục bộ (chỉ UDP), ví dụ để kiểm tra ACL theo địa chỉ nguồn"),
    HlPrTimeout => ("Bound on each phase of the test, in seconds (default 8)", "测试每个阶段的时限，单位为秒（默认 8）", "Giới hạn thời gian cho mỗi giai đoạn của phép thử, tính bằng giây (mặc định 8)"),
    HlPrJson => ("Print one JSON object (the report: verdict, ladder, message), in English", "输出一个 JSON 对象（报告：结论、时序图、消息），英文", "Xuất một đối tượng JSON (báo cáo: kết luận, sơ đồ bậc thang, thông báo), bằng tiếng Anh"),
    HlPrLang => ("Language of the text: en, zh or vi (default: the environment's, see README)", "文本的语言：en、zh 或 vi（默认：跟随环境设置，见 README）", "Ngôn ngữ của văn bản: en, zh hoặc vi (mặc định: theo môi trường, xem README)"),
    HlPrUser => ("User of the address of record (From/To)", "地址记录（address-of-record，From/To）中的用户", "Người dùng của address-of-record (From/To)"),
    HlPrAuthUser => ("Digest user name, when it differs from --user", "摘要认证用户名，与 --user 不同时给出", "Tên người dùng của digest, khi khác với --user"),
    HlPrDomain => ("SIP domain (default: the server's host)", "SIP 域名（默认：服务器的主机名）", "Tên miền SIP (mặc định: host của máy chủ)"),
    HlPrExpires => ("Expires of the test binding in seconds (it is removed right after)", "测试绑定的 Expires，单位为秒（随后立即删除）", "Expires của bản đăng ký thử, tính bằng giây (bị xoá ngay sau đó)"),
    HlPrHa1Stdin => ("Read the stored HA1 (hex, of the algorithm the server will ask for) from standard input", "从标准输入读取保存的 HA1（十六进制，按服务器将要求的算法）", "Đọc HA1 đã lưu (dạng hex, theo thuật toán máy chủ sẽ yêu cầu) từ đầu vào chuẩn"),
    HlPrCapture => ("A capture of the phone: compare its REGISTER outcome for --user with this test", "话机的抓包：把其中 --user 的 REGISTER 结果与这次测试比较", "Tệp bắt gói của điện thoại: so kết quả REGISTER của --user trong đó với phép thử này"),
    HlSettings => ("Print settings for Linphone, Zoiper, baresip and sipp that reproduce an account", "输出能复现某个账号的 Linphone、Zoiper、baresip 和 sipp 设置", "Xuất cấu hình Linphone, Zoiper, baresip và sipp để tái hiện một tài khoản"),
    HlStUser => ("SIP user (extension / user part of the address)", "SIP 用户（分机号 / 地址中的用户部分）", "Người dùng SIP (số máy nhánh / phần người dùng của địa chỉ)"),
    HlStAuthUser => ("Authentication user name, when it differs from the user", "认证用户名，与用户不同时给出", "Tên người dùng xác thực, khi khác với người dùng"),
    HlStDomain => ("SIP domain", "SIP 域名", "Tên miền SIP"),
    HlStProxy => ("Outbound proxy host[:port]", "出站代理（outbound proxy）主机[:端口]", "Máy outbound proxy, host[:cổng]"),
    HlStTransport => ("udp, tcp or tls", "udp、tcp 或 tls", "udp, tcp hoặc tls"),
    HlStPort => ("Server port when not the transport's default", "服务器端口（不是该传输方式的默认端口时给出）", "Cổng máy chủ khi không phải cổng mặc định của giao thức truyền"),
    HlStRealm => ("Realm the server challenges with, if known", "服务器质询时使用的认证域（realm），如果已知", "realm mà máy chủ dùng khi gửi thách thức, nếu biết"),
    HlStClient => ("Only the settings of this client", "只输出这个客户端的设置", "Chỉ cấu hình của máy khách này"),
    HlStJson => ("Print one JSON object (the settings of each client; notes in English unless --lang)", "输出一个 JSON 对象（每个客户端的设置；说明为英文，除非给出 --lang）", "Xuất một đối tượng JSON (cấu hình của từng máy khách; ghi chú bằng tiếng Anh, trừ khi có --lang)"),
    HlStLang => ("Language of the text: en, zh, vi (default: the environment's, see README; the client settings themselves stay as written)", "文本的语言：en、zh、vi（默认：跟随环境设置，见 README；客户端设置本身保持原样）", "Ngôn ngữ của văn bản: en, zh, vi (mặc định: theo môi trường, xem README; bản thân cấu hình máy khách giữ nguyên)"),

    // ---- why a frame or a message was skipped (capture::SkipReason, by its wire name, see
    // `msg::skip_reason`): English keeps the wire name, the others say it and keep it.
    SkTruncatedFile => ("truncated-file", "文件在记录中途结束（truncated-file）", "tệp kết thúc giữa chừng một bản ghi (truncated-file)"),
    SkCorruptRecord => ("corrupt-record", "损坏的记录（corrupt-record）", "bản ghi bị hỏng (corrupt-record)"),
    SkRejectedRecord => ("rejected-record", "读取器拒收的记录（rejected-record）", "bản ghi bị trình đọc từ chối (rejected-record)"),
    SkReadError => ("read-error", "读取出错（read-error）", "lỗi đọc tệp (read-error)"),
    SkTruncatedFrame => ("truncated-frame", "不完整的帧（truncated-frame）", "khung bị cắt cụt (truncated-frame)"),
    SkUnknownLinktype => ("unknown-linktype", "不支持的链路类型（unknown-linktype）", "kiểu liên kết không hỗ trợ (unknown-linktype)"),
    SkNonIp => ("non-ip", "非 IP 帧，如 ARP、LLDP（non-ip）", "khung không phải IP, như ARP, LLDP (non-ip)"),
    SkIpHeaderError => ("ip-header-error", "IP 头有误（ip-header-error）", "header IP sai (ip-header-error)"),
    SkFragmentIncomplete => ("fragment-incomplete", "IP 分片不完整（fragment-incomplete）", "phân mảnh IP không đầy đủ (fragment-incomplete)"),
    SkFragmentLimit => ("fragment-limit", "分片数超出上限（fragment-limit）", "vượt giới hạn số phân mảnh (fragment-limit)"),
    SkFragmentMemoryLimit => ("fragment-memory-limit", "分片缓存超出上限（fragment-memory-limit）", "vượt giới hạn bộ nhớ cho phân mảnh (fragment-memory-limit)"),
    SkTooDeep => ("too-deep", "隧道嵌套过深（too-deep）", "đường hầm lồng nhau quá sâu (too-deep)"),
    SkNotUdpOrTcp => ("not-udp-or-tcp", "既不是 UDP 也不是 TCP（not-udp-or-tcp）", "không phải UDP hay TCP (not-udp-or-tcp)"),
    SkIcmpOther => ("icmp-other", "其他 ICMP 报文（icmp-other）", "gói ICMP loại khác (icmp-other)"),
    SkGreUnsupported => ("gre-unsupported", "不支持的 GRE 版本（gre-unsupported）", "phiên bản GRE không hỗ trợ (gre-unsupported)"),
    SkGtpNotUserData => ("gtp-not-user-data", "不含用户数据的 GTP 消息（gtp-not-user-data）", "bản tin GTP không mang dữ liệu người dùng (gtp-not-user-data)"),
    SkGtpHeaderError => ("gtp-header-error", "GTP-U 头有误（gtp-header-error）", "header GTP-U sai (gtp-header-error)"),
    SkUdpHeaderError => ("udp-header-error", "UDP 头有误（udp-header-error）", "header UDP sai (udp-header-error)"),
    SkTcpHeaderError => ("tcp-header-error", "TCP 头有误（tcp-header-error）", "header TCP sai (tcp-header-error)"),
    SkNotSipUdp => ("not-sip-udp", "非 SIP 的 UDP 数据，如 RTP、STUN、保活包（not-sip-udp）", "dữ liệu UDP không phải SIP, như RTP, STUN, gói giữ kết nối (not-sip-udp)"),
    SkNotSipTcp => ("not-sip-tcp", "非 SIP 的 TCP 数据（not-sip-tcp）", "dữ liệu TCP không phải SIP (not-sip-tcp)"),
    SkTcpRetransmission => ("tcp-retransmission", "TCP 重传（tcp-retransmission）", "TCP truyền lại (tcp-retransmission)"),
    SkTcpGap => ("tcp-gap", "TCP 数据缺失（tcp-gap）", "TCP bị thiếu dữ liệu (tcp-gap)"),
    SkTcpStreamEvicted => ("tcp-stream-evicted", "TCP 流太多，已舍弃最空闲的（tcp-stream-evicted）", "quá nhiều luồng TCP, đã bỏ luồng ít dùng nhất (tcp-stream-evicted)"),
    SkTcpMemoryLimit => ("tcp-memory-limit", "TCP 乱序缓存超出上限（tcp-memory-limit）", "vượt giới hạn bộ nhớ cho TCP sai thứ tự (tcp-memory-limit)"),
    SkHepNotSip => ("hep-not-sip", "非 SIP 的 HEP 包（hep-not-sip）", "gói HEP không phải SIP (hep-not-sip)"),
    SkHepMalformed => ("hep-malformed", "格式错误的 HEP 包（hep-malformed）", "gói HEP sai định dạng (hep-malformed)"),
    SkHepNoPayload => ("hep-no-payload", "没有载荷的 HEP 包（hep-no-payload）", "gói HEP không có dữ liệu (hep-no-payload)"),
    SkHepDecompressError => ("hep-decompress-error", "HEP 载荷无法解压（hep-decompress-error）", "không giải nén được dữ liệu HEP (hep-decompress-error)"),
    SkUnparseableSip => ("unparseable-sip", "无法解析的 SIP 消息（unparseable-sip）", "bản tin SIP không phân tích được (unparseable-sip)"),
    SkSipLostInTcpGap => ("sip-lost-in-tcp-gap", "因 TCP 数据缺失而丢失的 SIP 消息（sip-lost-in-tcp-gap）", "bản tin SIP bị mất do TCP thiếu dữ liệu (sip-lost-in-tcp-gap)"),
    SkSipPartialAtStreamStart => ("sip-partial-at-stream-start", "TCP 流开头不完整的 SIP 消息（sip-partial-at-stream-start）", "bản tin SIP không trọn vẹn ở đầu luồng TCP (sip-partial-at-stream-start)"),
    SkSipHeaderTooLarge => ("sip-header-too-large", "SIP 头部过大（sip-header-too-large）", "phần header SIP quá lớn (sip-header-too-large)"),
    SkSipBodyTooLarge => ("sip-body-too-large", "SIP 消息体过大（sip-body-too-large）", "body SIP quá lớn (sip-body-too-large)"),
    SkSipIncompleteAtClose => ("sip-incomplete-at-close", "连接关闭时 SIP 消息不完整（sip-incomplete-at-close）", "bản tin SIP chưa trọn vẹn khi kết nối đóng (sip-incomplete-at-close)"),
    SkSipIncompleteAtEnd => ("sip-incomplete-at-end", "抓包结束时 SIP 消息不完整（sip-incomplete-at-end）", "bản tin SIP chưa trọn vẹn khi tệp bắt gói kết thúc (sip-incomplete-at-end)"),
    SkSipTooManyHeaders => ("sip-too-many-headers", "SIP 头字段过多（sip-too-many-headers）", "quá nhiều header SIP (sip-too-many-headers)"),
    SkSipTooManyChallenges => ("sip-too-many-challenges", "质询过多（sip-too-many-challenges）", "quá nhiều thách thức (sip-too-many-challenges)"),
}

impl Msg {
    /// The same title said of one account among several instead of "the phone" (`None`: the
    /// title names no phone).
    pub fn for_accounts(self) -> Option<Msg> {
        use Msg::*;
        Some(match self {
            RealmTitle => RealmTitleAccount,
            AlgoTitle => AlgoTitleAccount,
            NonceAgeTitle => NonceAgeTitleAccount,
            OldNonceTitle => OldNonceTitleAccount,
            NatTitle => NatTitleAccount,
            CredRejTitle => CredRejTitleAccount,
            UnansweredTitle => UnansweredTitleAccount,
            ClockPhoneTitle => ClockPhoneTitleAccount,
            VerPasswordTitle => VerPasswordTitleAccount,
            VerWhitespaceTitle => VerWhitespaceTitleAccount,
            VerCaseTitle => VerCaseTitleAccount,
            VerNoMatchTitle => VerNoMatchTitleAccount,
            _ => return None,
        })
    }
}
