#!/usr/bin/env python3
"""common-passwords.py - writes wordlists/common-passwords.txt.

The list the password policy refuses (src/domain/password.c). Nothing is
downloaded: it is composed from the patterns that top every published
analysis of leaked password sets (RockYou, the 2011 CSDN and Tianya
leaks, yearly "worst passwords" lists): digit runs and repeats, keyboard
and keypad walks, love numerology (5201314), years, pinyin words and
names with the usual suffixes, and the English favourites.

Only entries of 8 to 128 characters are kept: anything shorter already
fails the length rule. Entries are lowercase (the check lowercases ASCII
before looking up). Run from the source root:

    python3 tools/common-passwords.py > wordlists/common-passwords.txt
"""

import itertools

out = set()


def add(*words):
    for w in words:
        w = w.lower()
        if 8 <= len(w) <= 128 and "\n" not in w and not w.startswith("#"):
            out.add(w)


def suffixed(bases, suffixes):
    for b in bases:
        for s in suffixes:
            add(b + s)


# --- digits -----------------------------------------------------------------
DIGITS = "0123456789"
for d in DIGITS:
    for n in range(8, 13):
        add(d * n)
# ascending and descending runs, wrapping through 0
for seq in ("01234567890123", "1234567890", "98765432109876", "0987654321"):
    for n in range(8, 12):
        for i in range(0, len(seq) - n + 1):
            add(seq[i:i + n])
# a two-digit chunk repeated (52525252), three-digit chunks three times
for a, b in itertools.product(DIGITS, repeat=2):
    add((a + b) * 4, (a + b) * 5)
for x in ("123", "321", "456", "654", "789", "987", "147", "258", "369",
          "520", "521", "110", "119", "120", "666", "888", "999", "000",
          "111", "222", "333", "444", "555", "777", "159", "357", "012",
          "234", "345", "567", "678", "890", "100", "200", "500", "168",
          "518", "918", "886", "911"):
    add(x * 3, x * 4)
# four-digit chunks twice (12341234, 52005200)
for x in ("1234", "4321", "1122", "1212", "1313", "5200", "5201", "1314",
          "2580", "0000", "1111", "2222", "6666", "8888", "9999", "1230",
          "2345", "3456", "4567", "5678", "6789", "7890", "0123", "9876",
          "1357", "2468", "1357", "9527", "7788", "1688", "5566", "3344"):
    add(x * 2, x * 3)
add("11223344", "1122334455", "112233445566", "22334455", "33445566",
    "44556677", "55667788", "66778899", "11112222", "11113333", "12344321",
    "1234554321", "123454321", "12345654321", "123456654321", "123321123",
    "123321123321", "12341234", "1234512345", "123456123456",
    "12345678987654321", "98765432123456789", "11111111a", "00000000a",
    "13579246", "1357924680", "2468013579", "24681357", "13572468",
    "31415926", "314159265", "3141592653", "31415926535", "27182818",
    "1234567890123", "12312312", "12121212", "01010101", "10101010",
    "00001111", "11110000", "12345600", "12345601", "10203040",
    "1020304050", "11235813", "112358132134")
# numeric keypad and phone keypad walks
add("147258369", "147258369", "1472583690", "741852963", "963852741",
    "369258147", "147852369", "14785236", "147896325", "14789632",
    "12369874", "123698745", "98741236", "987412365", "74123698",
    "741236985", "15935728", "159357258", "1593572846", "15975328",
    "159753258", "789456123", "7894561230", "321654987", "987654321",
    "456789123", "123789456", "789123456", "25802580", "2580258025",
    "14725836", "36925814", "96325874", "78963214", "12357895",
    "1593578426", "7412589630", "9517538246", "852456789", "7531598246")

# --- love numerology ----------------------------------------------------------
LOVE = ("5201314", "1314520", "5211314", "1314521", "520520", "521521",
        "7758521", "7758258", "3344520", "5201314520", "584520", "1314",
        "520", "521", "9420", "2010520", "201314", "1314920", "0925",
        "530", "1711", "5845201314")
for a, b in itertools.product(LOVE, repeat=2):
    if a != b:
        add(a + b)
for x in LOVE:
    add(x * 2, x * 3)
    for p in ("a", "aa", "abc", "qq", "woaini", "aini", "iloveyou",
              "love", "wang", "zhang", "li"):
        add(p + x, x + p)
add("52013140", "520131400", "5201314a", "a5201314", "52013145201314",
    "13145201314", "woaiwojia", "woaiwojia123", "woaiwoma", "woaibaba",
    "woaimama", "woainia", "woaininia", "woainiwoaini", "woaini5201314",
    "woaini1314520", "wohenaini", "yongyuanaini", "aiwoma", "niaiwoma",
    "zhiaini", "zhiainiyiren", "wozhiaini", "woxihuanni", "xihuanni1314",
    "iloveyou1314", "iloveyou520", "iloveyou5201314", "1314iloveyou",
    "520iloveyou", "loveyou1314", "loveyou520", "1314love", "love1314",
    "love5201314", "lovelove", "lovelove1314", "foreverlove",
    "loveforever", "yiqi1314", "yishengyishi", "yishengyishi1314",
    "yibeizi1314", "tianchangdijiu", "haikukushilan", "shenghuoyiqi")

# --- keyboard walks -------------------------------------------------------------
ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
        "!@#$%^&*()", "1234567890-=", "qwertyuiop[]", "asdfghjkl;'")
for r in ROWS:
    for n in range(8, len(r) + 1):
        for i in range(0, len(r) - n + 1):
            add(r[i:i + n], r[i:i + n][::-1])
# column walks: 1qaz2wsx3edc... and the reversed and shifted forms
COLS = ["1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,",
        "9ol.", "0p;/"]
for i in range(len(COLS)):
    for n in range(2, 5):
        if i + n <= len(COLS):
            w = "".join(COLS[i:i + n])
            add(w, "".join(c[::-1] for c in COLS[i:i + n]))
            add("".join(c[1:] for c in COLS[i:i + n]))
add("zaq12wsx", "zaq1zaq1", "zaq1xsw2", "zaq1xsw2cde3", "xsw2zaq1",
    "1qazxsw2", "1qazxsw23edc", "!qaz2wsx", "!qaz@wsx", "!qaz@wsx#edc",
    "1qaz@wsx", "1qaz!qaz", "1qaz1qaz", "qazwsxedc", "qazwsxedcrfv",
    "qazxswedc", "qazxswedcvfr", "qazwsx123", "qazwsx12", "qazwsx1234",
    "qazwsxedc123", "wsxedcrfv", "edcrfvtgb", "plokijuh", "poiuytrewq",
    "mnbvcxzasdf", "qweasdzxc", "qweasdzxc123", "qweasd123", "asdqwe123",
    "zxcasdqwe", "zxcasdqwe123", "qweqweqwe", "asdasdasd", "zxczxczxc",
    "qwaszx12", "qwaszxqwaszx", "qwerasdf", "qwerasdfzxcv",
    "asdfzxcv", "zxcvasdf", "asdfqwer", "qwertasdfg", "asdfgzxcvb",
    "qwertyasdf", "qwertyasdfgh", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y",
    "1q2w3e4r5t6y7u", "q1w2e3r4", "q1w2e3r4t5", "q1w2e3r4t5y6",
    "1a2b3c4d", "1a2b3c4d5e", "a1b2c3d4", "a1b2c3d4e5", "1a2s3d4f",
    "1z2x3c4v", "a1s2d3f4", "z1x2c3v4", "1w2e3r4t", "2w3e4r5t",
    "abcdefgh", "abcdefghi", "abcdefghij", "abcdefghijk",
    "abcdefghijklmnopqrstuvwxyz", "abcd1234", "abcd12345", "abcd123456",
    "1234abcd", "12345abc", "123456abc", "abc12345", "abc123456",
    "abc1234567", "abc12345678", "abc123456789", "abcabcabc", "abcabc123",
    "aabbccdd", "aaaabbbb", "qwer1234", "qwer12345", "qwer123456",
    "1234qwer", "12345qwer", "123qweasd", "123qweasdzxc", "qwe123qwe",
    "qwe123456", "qwe12345", "qwe123qwe123", "asd123456", "asd12345",
    "zxc123456", "zxc12345", "asdf1234", "asdf12345", "asdf123456",
    "1234asdf", "zxcv1234", "zxcv123456", "1234zxcv", "qwert123",
    "qwert12345", "qwerty12", "qwerty123", "qwerty1234", "qwerty123456",
    "qwerty11", "qwerty01", "qwertyqwerty", "qwerasdf1234", "asdfasdf",
    "qwerqwer", "zxcvzxcv", "123qwe123", "123qwe!@#", "123asd123",
    "123zxc123", "1qaz2wsx!", "123!@#qwe", "!@#123qwe", "!@#$qwer",
    "1234!@#$", "!@#$1234", "!@#$%^&*", "123456!@#", "qwe!@#123")
for c in "abcdefghijklmnopqrstuvwxyz":
    add(c * 8, c * 9, c * 10, c * 12)

# --- the 123456 family ---------------------------------------------------------
NUMS = ("123", "1234", "12345", "123456", "1234567", "12345678",
        "123456789", "1234567890", "123123", "111111", "000000", "888888",
        "666666", "654321", "112233", "123321", "147258", "159357",
        "520520", "5201314", "1314520", "110", "119", "520", "1314")
PREFIX = ["a", "aa", "aaa", "abc", "qq", "qqq", "qwe", "asd", "zxc", "wo",
          "z", "x", "w", "l", "s", "q", "x", "love", "ai", "li", "zz",
          "ww", "ss", "wang", "www", "cc", "dd", "ab", "as", "qw", "zx"]
PREFIX += list("abcdefghijklmnopqrstuvwxyz")
for p in set(PREFIX):
    for n in ("123456", "1234567", "12345678", "123456789", "111111",
              "888888"):
        add(p + n, n + p)
for n in NUMS:
    for s in ("a", "aa", "abc", "qq", "q", "z", "x", "w", "qwe", "asd",
              "zxc", "abcd", "qwer", "!", "!@#", ".", "@"):
        add(n + s, s + n)
add("a12345678", "a123456789", "a1234567890", "aa12345678", "aa123456789",
    "qq12345678", "qq123456789", "a11111111", "aa111111", "a5201314",
    "123456aa", "123456abc", "123456qq", "123456789a", "123456789q",
    "1234567a", "12345678a", "a1234567", "z1234567", "z123456789",
    "123456789z", "a123123123", "123qweasdzxc", "1234567qq",
    "123456.com", "123456.cn", "qq123456789", "qq1234567", "woshiqq",
    "qq5201314", "qqqqqqqq1", "qqqq1111", "q1234567", "w1234567",
    "a123456a", "a1b2c3d4e5f6", "a12345a", "aa112233", "aaa111222",
    "aaa123123", "aaa123456", "aaaaaa11", "aaaa1111", "abcd1111",
    "11111111aa", "a1111111", "1111111a", "1111aaaa", "aaaa0000",
    "a000000", "a0000000", "00000000a", "abc000000", "abc888888",
    "abc666666", "aa888888", "aa666666", "a888888", "a666666",
    "a88888888", "a66666666", "a1314520", "a520520")

# --- English and international favourites -------------------------------------
EN = ("password", "passwort", "motdepasse", "contrasena", "iloveyou",
      "sunshine", "princess", "football", "baseball", "basketball",
      "welcome", "letmein", "trustno1", "superman", "batman", "spiderman",
      "starwars", "whatever", "dragon", "master", "monkey", "shadow",
      "michael", "jennifer", "jordan", "jordan23", "computer", "internet",
      "charlie", "freedom", "ashley", "bailey", "qwerty", "passw0rd",
      "p@ssw0rd", "p@ssword", "pa55word", "pa55w0rd", "passwd",
      "admin", "administrator", "changeme", "default", "secret",
      "letmein1", "welcome1", "mustang", "michelle", "jessica",
      "samantha", "victoria", "danielle", "jonathan", "alexander",
      "benjamin", "nicholas", "christopher", "matthew", "jasmine",
      "hannah", "thomas", "tigger", "soccer", "hockey", "killer",
      "hunter", "ranger", "buster", "harley", "andrew", "joshua",
      "maggie", "ginger", "summer", "purple", "orange", "cookie",
      "pepper", "butterfly", "chocolate", "elephant", "snoopy", "hello",
      "helloworld", "liverpool", "chelsea", "arsenal", "barcelona",
      "manchester", "manutd", "realmadrid", "juventus", "mercedes",
      "corvette", "ferrari", "porsche", "midnight", "blahblah",
      "passport", "access", "flower", "lovely", "loveme", "babygirl",
      "angel", "angels", "forever", "friends", "family", "rainbow",
      "diamond", "silver", "golden", "money", "cheese", "banana",
      "apple", "sparky", "yankees", "cowboys", "steelers", "eagles",
      "lakers", "warriors", "pokemon", "naruto", "minecraft",
      "fortnite", "roblox", "playstation", "xbox360", "nintendo",
      "iloveu", "loveyou", "lovers", "myspace", "facebook", "google",
      "youtube", "twitter", "linkedin", "microsoft", "windows", "apple",
      "android", "samsung", "iphone", "nokia", "login", "guest", "test",
      "tester", "testing", "demo", "user", "root", "toor", "system",
      "server", "oracle", "mysql", "database", "security", "qwertyuiop",
      "asdfghjkl", "zxcvbnm", "abcdef", "abcdefg", "trustme",
      "nothing", "anything", "something", "everything", "pussy",
      "fuckyou", "fuckoff", "biteme", "sexy", "hottie", "matrix",
      "zxcvbnm1", "q1w2e3r4", "azerty", "azertyuiop", "qwertz",
      "qwertzuiop", "mypassword", "mypass", "newpassword", "oldpassword",
      "password1", "unknown", "superstar", "rockstar", "blink182",
      "metallica", "slipknot", "nirvana", "eminem", "beatles",
      "jesus", "jesuschrist", "godisgood", "blessed", "heaven",
      "america", "canada", "london", "paris", "berlin", "tokyo",
      "sakura", "doraemon", "pikachu", "hellokitty", "mickey",
      "minnie", "dolphin", "tiger", "lion", "panda", "kitten",
      "puppy", "doggie", "bigdog", "whitedog", "blackcat",
      "asshole", "bullshit", "letmeinnow", "opensesame", "abracadabra",
      "trinity", "phoenix", "thunder", "lightning", "scorpion",
      "falcon", "warrior", "legend", "champion", "winner", "chicken",
      "soccer1", "hello1", "welcome123", "admin1", "master1")
suffixed(EN, ("", "1", "12", "123", "1234", "123456", "!", "01"))

# --- pinyin -------------------------------------------------------------------
PINYIN = ("woaini", "aini", "woaiwojia", "wodemima", "mima", "mimamima",
          "nihao", "nihaoma", "caonima", "tiantian", "xiaoxiao", "taiyang",
          "yueliang", "xingxing", "baobao", "beibei", "qiqi", "feifei",
          "lele", "huanhuan", "kuaile", "xingfu", "pingan", "meimei",
          "gege", "jiejie", "didi", "laopo", "laogong", "qinqin",
          "shenghuo", "zhongguo", "zhonghua", "china", "beijing",
          "shanghai", "guangzhou", "shenzhen", "tianjin", "chengdu",
          "wuhan", "nanjing", "hangzhou", "chongqing", "xiamen",
          "huawei", "xiaomi", "tencent", "baidu", "alibaba", "taobao",
          "weixin", "wangyi", "sina", "diannao", "shouji", "jiayou",
          "fendou", "wanmei", "yongyuan", "xihuan", "zhenai", "kaixin",
          "xiaoming", "xiaohong", "xiaohua", "xiaolong", "xiaoyu",
          "xiaoyan", "xiaomei", "xiaofeng", "xiaobao", "xiaobai",
          "xiaohei", "xiaoqiang", "xiaogou", "xiaomao", "xiaozhu",
          "zhuzhu", "maomao", "gougou", "tutu", "doudou", "dandan",
          "niuniu", "yangyang", "lili", "nana", "jingjing", "tingting",
          "fangfang", "lingling", "yingying", "xinxin", "haohao",
          "wenwen", "mengmeng", "yuanyuan", "chenchen", "linlin",
          "shuaige", "meinv", "dashuaige", "laoda", "laoban", "wanghao",
          "tianshi", "mogui", "shangdi", "fozu", "dage", "xiongdi",
          "pengyou", "tongxue", "laoshi", "xuesheng", "daxue", "gaokao",
          "wenku", "ziliao", "wendang", "xiazai", "huiyuan", "denglu",
          "zhuce", "yonghu", "guanliyuan", "ceshi", "mimashi", "wangba",
          "wangluo", "youxi", "chuanqi", "mofa", "mengxiang", "qingchun",
          "aiqing", "youqing", "qinqing", "xinqing", "yuanfen",
          "shanghai1", "sanguo", "shuihu", "xiyouji", "sunwukong",
          "zhubajie", "jiaren", "hello", "shabi", "niubi", "hahaha",
          "hehehe", "xixixi", "heihei", "wawa", "yaya", "keke",
          "woshishui", "woshini", "zhangsan", "lisi", "wangwu",
          "zhaoliu", "xiaohuozi", "guniang", "fuqin", "muqin",
          "baba", "mama", "yeye", "nainai", "jiating", "xingfujiating")
SUF = ("", "1", "123", "1234", "123456", "520", "1314", "5201314", "888",
       "666")
suffixed(PINYIN, SUF)
for w in PINYIN:
    add(w + w, "520" + w, "1314" + w)

# Surnames with the usual digit tails, and the most common full names
SURNAMES = ("wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao",
            "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he",
            "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang",
            "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian",
            "dong", "yuan", "pan", "yu", "jiang", "cai", "du", "ye",
            "cheng", "su", "wei", "lv", "ding", "ren", "shen", "yao", "lu",
            "cui", "zhong", "tan", "qiu", "jia", "fan", "fu", "bai",
            "kong", "qian", "mao", "qin", "shi", "hou", "meng", "long",
            "wan", "duan", "lei", "qian", "tao", "li", "xiang", "xiong")
suffixed(SURNAMES, ("123456", "12345678", "123456789", "888888",
                    "5201314", "123123"))
GIVEN = ("wei", "fang", "xiuying", "na", "min", "jing", "li", "qiang",
         "lei", "jun", "yang", "yong", "yan", "jie", "tao", "ming",
         "chao", "xiuzhen", "hua", "ping", "gang", "juan", "hui", "bin",
         "xin", "fei", "hao", "peng", "yu", "dan", "ling", "ting", "xue",
         "ying", "hong", "bo", "long", "feng", "kai", "jian", "lin",
         "yun", "mei", "xia", "rui", "qian", "chen", "han", "yi", "xuan",
         "zhiqiang", "jianhua", "jianguo", "guoqiang", "haiyan", "xiaoyan",
         "haitao", "zhiwei", "jianjun", "xiaoming", "junjie", "zihan",
         "yuxuan", "haoran", "yutong", "xinyi", "zixuan", "yichen",
         "muchen", "ruoxi", "xinyu", "siyu", "jiahao", "tianyu")
for s in SURNAMES[:10]:
    for g in GIVEN:
        n = s + g
        add(n, n + "123", n + "123456")

# --- years ------------------------------------------------------------------------
YEAR_BASES = ("pass", "love", "abcd", "qwer", "asdf", "zxcv", "woaini",
              "aini", "wang", "zhang", "admin", "root", "test", "iloveyou",
              "password", "china", "qwerty", "hello", "welcome", "wenku",
              "abc", "qq", "a", "li", "liu", "chen", "yang")
for y in range(1970, 2031):
    ys = str(y)
    add(ys + ys, ys + "0101", ys + "1234", ys + "1314", ys + "5201314",
        "1314" + ys)
    suffixed(YEAR_BASES, (ys,))

# --- site and service defaults ----------------------------------------------------
add("wenku123", "wenku123456", "wenkuwenku", "wenku2024", "wenku2025",
    "wenkuadmin", "admin123456", "admin888", "admin666", "adminadmin",
    "admin@123", "admin!@#", "administrator", "root1234", "rootroot",
    "root123456", "test1234", "test123456", "testtest", "guest123",
    "guestguest", "user1234", "user123456", "useruser", "default1",
    "changeme", "changeme1", "letmein123", "sysadmin", "superuser",
    "supervisor", "manager1", "manager123", "support1", "service1",
    "password@123", "p@ssw0rd123", "p@ssw0rd1", "passw0rd1",
    "qwerty@123", "abc@123456", "abc#123456", "aa123456!", "a123456!",
    "a123456.", "a123456@", "a123456789!", "qaz123456", "wsx123456",
    "123456wenku", "wendang123", "ziliao123", "huiyuan123")

print("# Common passwords refused by the password policy (one per line,")
print("# lowercase, 8-128 characters). Generated by tools/common-passwords.py")
print("# from well-known weak patterns; edit the script, not this file.")
for w in sorted(out):
    print(w)
