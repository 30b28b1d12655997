"""Demo data: one district, its primary schools, families, staff of every role, a term.

Everything is drawn from ``random.Random(seed)`` in a fixed order and built in memory
before anything is written, so one seed always gives the same names, numbers and ID
numbers. No date depends on today: the term is 2026秋季学期 (2026-09-01 – 2027-01-22).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lib.identity import national_id_check_digit
from people.models import (
    DistrictOfficer,
    Gender,
    Guardian,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
    User,
    Vetting,
    name_pinyin,
)
from people.roles import Role
from schools.calendar import official_year_known
from schools.models import CalendarEntry, District, HolidayYear, School, SchoolClass, Term, Venue

DEMO_PASSWORD = "Kehou-Demo-2026"  # noqa: S105 (published on purpose: demo logins only)
DISTRICT_CODE = "DEMO-SFQ"
DEMO_GUARDIAN_PHONE = "13912340001"
TERM_NAME, TERM_START, TERM_END = "2026秋季学期", dt.date(2026, 9, 1), dt.date(2027, 1, 22)


@dataclass(frozen=True)
class DemoLogin:
    """One printed demo login: who it is, and what their home page shows."""

    login: str
    role_zh: str
    role_en: str
    sees_zh: str
    sees_en: str


DEMO_LOGINS = (
    DemoLogin("principal", "校长", "Principal", "全校人数、分年级统计、优先群体、花名册导入导出",
              "school counts, students by grade, priority groups, roster import/export"),
    DemoLogin("teacher", "班主任", "Head teacher", "本班学生（二年级1班）、本学期",
              "own class (Grade 2 Class 1), the term"),
    DemoLogin("finance", "财务", "Finance", "在籍学生、缴费家庭、教职工人数、优先群体",
              "students, paying families, staff, priority groups"),
    DemoLogin("duty", "值班领导", "Duty leader", "值班与门卫：在籍学生、班级", "duty and gate: students, classes"),
    DemoLogin("guard", "门卫", "Guard", "值班与门卫：在籍学生、班级", "duty and gate: students, classes"),
    DemoLogin("district", "教育局", "District officer", "全区各校学生、班级、教职工",
              "every school's students, classes and staff"),
    DemoLogin("principal2", "第二所学校校长", "Principal, school 2", "只看到本校（不见第一所学校）",
              "only their own school, never school 1"),
    DemoLogin(DEMO_GUARDIAN_PHONE, "家长（手机号登录）", "Guardian (by phone)",
              "两个孩子（二年级、五年级）", "two children (Grades 2 and 5)"),
)

# Common surnames, most frequent first (weights fall with rank, as in the census).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
            "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙")
SURNAME_WEIGHTS = list(itertools.accumulate(1 / (rank + 6) for rank in range(len(SURNAMES))))
BOY = "浩宇轩然泽睿博文子俊杰昊天明辰一诚皓宸铭晨阳鑫豪嘉乐涛宏志思远逸凡航毅恒瑞霖锦程"
GIRL = "欣怡梓涵雨诗婷悦琪佳萱可馨依彤妍语嘉晴雅静思颖若曦梦瑶月婉慧琳蕾菲心安"
ADULT = {"M": "伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 斌 建华 志强 海涛 晓东 建军 文斌 俊峰 小龙".split(),
         "F": "芳 娜 敏 静 丽 艳 娟 霞 婷 雪 丹 玲 秀英 晓燕 丽娟 海燕 春梅 文静 红梅 慧敏 小红".split()}
ELDER = {"M": "建国 国强 德明 志刚 福生 永福 振华 长林 有才 文忠".split(),
         "F": "秀兰 桂英 淑珍 玉兰 凤英 桂芳 秀珍 素芬 玉梅 金花".split()}
PHONE_PREFIXES = "130 131 132 133 135 136 137 138 139 150 151 152 155 156 158 159 166 177 180 181 186 187 188 189 199".split()
# Real county-level region codes: local families, and the home counties of migrant families.
LOCAL_REGIONS = ("330106", "330105", "330102", "330108")
MIGRANT_REGIONS = ("340102", "410102", "420102", "430102", "510104", "500101", "360102", "450102")
SCHOOL_NAMES = ("实验小学", "城南小学", "育才小学", "新华小学", "东湖小学", "文昌小学", "朝阳小学", "星光小学")
CN_DIGITS = "〇一二三四五六七八九"
# Per-family priority rates (plan 7 三); disability is drawn per child.
RATES = {"migrant": 0.08, "single_parent": 0.05, "left_behind": 0.04, "low_income": 0.05}
SIBLING_RATE = 0.07


@dataclass(frozen=True)
class DemoSummary:
    district: str
    schools: list[str]
    classes: int
    students: int
    guardians: int
    sibling_families: int
    staff: int
    venues: int


@dataclass
class _Family:
    surname: str
    region: str
    flags: dict[str, bool]
    guardians: list[tuple[Guardian, str]]  # (guardian, relation)
    children: list[Student]
    youngest_grade: int
    reserved: bool = False  # the demo guardian's family: exactly two children


def seed_demo(*, schools: int, students: int, seed: int) -> DemoSummary:
    """Create the demo district with ``schools`` schools and ``students`` students in all."""
    if schools < 1 or students < 6 * schools:
        raise ValueError("need at least one school and six students (one a grade) per school")
    builder = _Builder(random.Random(seed))  # noqa: S311 (demo data, not security)
    builder.build(schools=schools, students=students)
    with transaction.atomic():
        builder.write()
    return builder.summary()


def split(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` by largest remainder (parts sum to total)."""
    shares = [total * w / sum(weights) for w in weights]
    parts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def cn_class(grade: int, number: int) -> str:
    return f"{CN_DIGITS[grade]}年级{number}班"


class _Builder:
    """Draws every row in memory, in a fixed order, then writes them in dependency order."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.phones: set[str] = {DEMO_GUARDIAN_PHONE}
        self.national_ids: set[str] = set()
        self.password = make_password(DEMO_PASSWORD)  # hashed once, shared by every login
        self.district = District(name="示范区教育局", code=DISTRICT_CODE)
        self.schools: list[School] = []
        self.rows: dict[type, list] = {
            m: [] for m in (User, School, HolidayYear, CalendarEntry, Term, Venue, Staff,
                            StaffRole, Vetting, SchoolClass, Student, Guardian, StudentGuardian)
        }
        self.families: list[_Family] = []
        self.logins: dict[str, User] = {}
        self.officer = self._login("district", "示范区教育局督导科")

    # --- drawing -----------------------------------------------------------------------------
    def build(self, *, schools: int, students: int) -> None:
        weights = [self.rng.uniform(0.85, 1.15) for _ in range(schools)]
        for n, size in enumerate(split(students, weights), start=1):
            school = self._school(n)
            self._calendar(school)
            self._venues(school)
            self._staff(school, n, n_classes_hint=math.ceil(size / 45))
            self._classes_and_students(school, n, size)

    def _add(self, obj):
        self.rows[type(obj)].append(obj)
        return obj

    def _school(self, n: int) -> School:
        name = SCHOOL_NAMES[n - 1] if n <= len(SCHOOL_NAMES) else f"第{n}小学"
        school = self._add(School(
            district=self.district, name=f"示范区{name}", code=f"{DISTRICT_CODE}-{n:02d}",
            address=f"示范区文昌路{n * 18 + 60}号", complaint_phone=f"0571-8765{n:04d}",
        ))
        self.schools.append(school)
        return school

    def _calendar(self, school: School) -> None:
        self._add(Term(school=school, name=TERM_NAME, start=TERM_START, end=TERM_END))
        self._add(CalendarEntry(school=school, date=dt.date(2026, 9, 20), kind="workday", follows_weekday=0,
                                note="国庆节调休上班（周日），按周一课表"))
        self._add(CalendarEntry(school=school, date=dt.date(2026, 10, 10), kind="workday", follows_weekday=3,
                                note="国庆节调休上班（周六），按周四课表"))
        # chinese-calendar 1.11 stops at 2026; the term runs into January 2027, so the school
        # enters 2027's New Year holiday itself (once the package knows 2027, it is not needed).
        if not official_year_known(2027):
            self._add(HolidayYear(school=school, year=2027, source="演示数据：按往年惯例预填，待国务院公告核对"))
            self._add(CalendarEntry(school=school, date=dt.date(2027, 1, 1), kind="holiday", note="元旦"))

    def _venues(self, school: School) -> None:
        for name, kind, capacity in (
            ("阅览室", Venue.Kind.READING_ROOM, 60), ("音乐教室", Venue.Kind.MUSIC_ROOM, 50),
            ("美术教室", Venue.Kind.ART_ROOM, 45), ("信息技术教室", Venue.Kind.COMPUTER_ROOM, 50),
            ("室内体育馆", Venue.Kind.GYM, 120), ("田径场", Venue.Kind.FIELD, 400),
            ("报告厅", Venue.Kind.HALL, 300),
        ):
            self._add(Venue(school=school, name=name, kind=kind, capacity=capacity))

    # --- people ------------------------------------------------------------------------------
    def _phone(self) -> str:
        while True:
            phone = f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _surname(self) -> str:
        return self.rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]

    def _child_given(self, gender: str) -> str:
        pool = BOY if gender == Gender.MALE else GIRL
        return "".join(self.rng.sample(pool, self.rng.choices((1, 2), (2, 8))[0]))

    def _adult_name(self, gender: str, *, surname: str | None = None, elder: bool = False) -> str:
        return (surname or self._surname()) + self.rng.choice((ELDER if elder else ADULT)[gender])

    def _national_id(self, region: str, birth: dt.date, gender: str) -> str:
        while True:
            odd = self.rng.choice("13579" if gender == Gender.MALE else "02468")
            first17 = f"{region}{birth:%Y%m%d}{self.rng.randrange(100):02d}{odd}"
            national_id = first17 + national_id_check_digit(first17)
            if national_id not in self.national_ids:
                self.national_ids.add(national_id)
                return national_id

    def _login(self, username: str, name: str, phone: str | None = None) -> User:
        user = self._add(User(username=username, first_name=name, password=self.password, phone=phone))
        self.logins[username] = user
        return user

    def _person(self, school: School, roles: list[Role], *, gender: str | None = None,
                subjects: str = "", login: str | None = None) -> Staff:
        gender = gender or self.rng.choices((Gender.FEMALE, Gender.MALE), (3, 1))[0]
        name = self._adult_name(gender)
        staff = self._add(Staff(school=school, name=name, pinyin=name_pinyin(name), gender=gender,
                                phone=self._phone(), subjects=subjects))
        if login:
            staff.user = self._login(login, name)
        for role in roles:
            self._add(StaffRole(staff=staff, role=role))
        return staff

    def _staff(self, school: School, school_no: int, *, n_classes_hint: int) -> None:
        """Leaders, subject teachers and every other role; head teachers come with the classes."""
        first = school_no == 1
        self._person(school, [Role.PRINCIPAL], gender=Gender.MALE, subjects="语文",
                     login={1: "principal", 2: "principal2"}.get(school_no))
        for _ in range(2):
            self._person(school, [Role.VICE_PRINCIPAL, Role.DUTY_LEADER], subjects="数学")
        for subject in ("语文", "数学", ""):  # 教导主任, 德育主任, 总务主任
            self._person(school, [Role.MIDDLE_MANAGER, Role.DUTY_LEADER], subjects=subject)
        for i in range(2):  # 安全办: duty leaders who teach no class
            self._person(school, [Role.DUTY_LEADER], login="duty" if first and i == 0 else None)
        for subject, per in (("数学", 2), ("英语", 5), ("音乐", 8), ("美术", 8), ("体育", 6), ("科学", 8)):
            for _ in range(max(1, math.ceil(n_classes_hint / per))):
                self._person(school, [Role.TEACHER], subjects=subject)
        for i in range(3):
            self._person(school, [Role.GUARD], gender=Gender.MALE, login="guard" if first and i == 0 else None)
        for _ in range(3):
            self._person(school, [Role.CLEANER])
        for i in range(2):  # 会计, 出纳
            self._person(school, [Role.FINANCE], login="finance" if first and i == 0 else None)
        for i, (subject, qualification) in enumerate((
            ("围棋", "中国围棋协会业余五段、社会体育指导员证"), ("书法", "书法家协会会员、教师资格证（书法）"),
            ("篮球", "篮球二级运动员、篮球教练员证"), ("机器人", "青少年机器人技术等级考试考官"),
        )):
            staff = self._person(school, [Role.EXTERNAL_INSTRUCTOR], subjects=subject)
            self._vet(staff, qualification, i)
        # Not vetted yet: may not be assigned to a session until the file is lodged.
        self._person(school, [Role.EXTERNAL_INSTRUCTOR], subjects="舞蹈")
        for i, qualification in enumerate(("退休教师（小学高级教师）", "家长志愿者，教师资格证", "大学生志愿者，无犯罪记录证明")):
            staff = self._person(school, [Role.VOLUNTEER], subjects="阅读")
            self._vet(staff, qualification, i + 4)

    def _vet(self, staff: Staff, qualification: str, i: int) -> None:
        self._add(Vetting(
            staff=staff, qualification=qualification, health_check_date=dt.date(2026, 8, 10 + i),
            filed_with="示范区教育局", filed_on=dt.date(2026, 8, 25 + i), notes="健康证明、无犯罪记录证明已存档",
        ))

    # --- classes, students and families ------------------------------------------------------
    def _classes_and_students(self, school: School, school_no: int, size: int) -> None:
        grade_sizes = split(size, [self.rng.uniform(0.9, 1.1) for _ in range(6)])
        families: list[_Family] = []
        first_child: dict[tuple[int, int], Student] = {}
        serial = itertools.count(1)
        # Older grades first, so a younger child can join an older sibling's family.
        for grade in range(6, 0, -1):
            n_classes = max(1, math.ceil(grade_sizes[grade - 1] / 50))
            for number, class_size in enumerate(split(grade_sizes[grade - 1], [1] * n_classes), start=1):
                school_class = self._class(school, grade, number)
                names: set[str] = set()
                for i in range(class_size):
                    # School 1's first pupils of Grade 5 Class 1 and Grade 2 Class 1 are
                    # siblings: the demo guardian's two children.
                    demo = (grade, number, i) if school_no == 1 and i == 0 else None
                    family = self._family_for(families, grade, demo, first_child)
                    student = self._student(school_class, family, grade, names, school_no, next(serial))
                    first_child.setdefault((grade, number), student)
                    if demo == (2, 1, 0):
                        self._make_demo_family(family)
        self.families.extend(families)

    def _class(self, school: School, grade: int, number: int) -> SchoolClass:
        room = self._add(Venue(school=school, name=f"{cn_class(grade, number)}教室",
                               kind=Venue.Kind.CLASSROOM, capacity=50))
        login = "teacher" if school is self.schools[0] and (grade, number) == (2, 1) else None
        head = self._person(school, [Role.TEACHER, Role.HEAD_TEACHER],
                            subjects=self.rng.choices(("语文", "数学"), (3, 2))[0], login=login)
        return self._add(SchoolClass(school=school, grade=grade, number=number, head_teacher=head, home_room=room))

    def _family_for(self, families: list[_Family], grade: int, demo: tuple[int, int, int] | None,
                    first_child: dict[tuple[int, int], Student]) -> _Family:
        if demo == (2, 1, 0):
            older = first_child[(5, 1)]
            return next(f for f in families if older in f.children)
        if demo != (5, 1, 0) and grade < 6 and self.rng.random() < SIBLING_RATE:
            older = [f for f in families
                     if len(f.children) == 1 and f.youngest_grade > grade and not f.reserved]
            if older:
                return self.rng.choice(older)
        family = self._new_family()
        family.reserved = demo == (5, 1, 0)
        families.append(family)
        return family

    def _new_family(self) -> _Family:
        rng = self.rng
        migrant = rng.random() < RATES["migrant"]
        flags = {
            "is_migrant_child": migrant,
            "is_left_behind": not migrant and rng.random() < RATES["left_behind"],
            "is_single_parent": rng.random() < RATES["single_parent"],
            "is_low_income": rng.random() < RATES["low_income"],
        }
        surname = self._surname()
        family = _Family(surname, rng.choice(MIGRANT_REGIONS if migrant else LOCAL_REGIONS),
                         flags, [], [], 7)
        father = (self._adult_name(Gender.MALE, surname=surname), "father")
        mother = (self._adult_name(Gender.FEMALE), "mother")
        if flags["is_left_behind"]:  # parents work away; grandparents look after the child
            people = [(self._adult_name(Gender.FEMALE, elder=True), "grandmother")]
            if rng.random() < 0.5:
                people.append((self._adult_name(Gender.MALE, surname=surname, elder=True), "grandfather"))
        elif flags["is_single_parent"]:
            people = [rng.choices((mother, father), (7, 3))[0]]
        else:
            people = [mother, father] if rng.random() < 0.6 else [father, mother]
            if rng.random() < 0.15:
                people = people[:1]
        for name, relation in people:
            family.guardians.append((self._add(Guardian(name=name, phone=self._phone())), relation))
        return family

    def _student(self, school_class: SchoolClass, family: _Family, grade: int, names: set[str],
                 school_no: int, serial: int) -> Student:
        rng = self.rng
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        while (name := family.surname + self._child_given(gender)) in names:
            pass
        names.add(name)
        # Born 1 Sep – 31 Aug: Grade 1 of autumn 2026 turns six by 31 August 2026.
        born_from = dt.date(2020 - grade, 9, 1)
        birth = born_from + dt.timedelta(days=rng.randrange((dt.date(2021 - grade, 9, 1) - born_from).days))
        student = self._add(Student(
            school=school_class.school, school_class=school_class, name=name, pinyin=name_pinyin(name),
            gender=gender, birth_date=birth, national_id=self._national_id(family.region, birth, gender),
            student_number=f"{2027 - grade}{school_no:02d}{serial:04d}",
            has_disability=rng.random() < 0.01, **family.flags,
        ))
        for i, (guardian, relation) in enumerate(family.guardians):
            self._add(StudentGuardian(school=school_class.school, student=student, guardian=guardian,
                                      relation=relation, is_primary=i == 0))
        family.children.append(student)
        family.youngest_grade = grade
        return student

    def _make_demo_family(self, family: _Family) -> None:
        guardian = family.guardians[0][0]
        guardian.phone = DEMO_GUARDIAN_PHONE
        guardian.user = self._login(DEMO_GUARDIAN_PHONE, guardian.name, phone=DEMO_GUARDIAN_PHONE)

    # --- writing -----------------------------------------------------------------------------
    def write(self) -> None:
        """Insert every row, parents first (bulk_create fills the ids of saved parents)."""
        self.district.save()
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows, batch_size=500)
        DistrictOfficer.objects.create(user=self.officer, district=self.district)

    def summary(self) -> DemoSummary:
        return DemoSummary(
            district=self.district.name,
            schools=[s.name for s in self.schools],
            classes=len(self.rows[SchoolClass]),
            students=len(self.rows[Student]),
            guardians=len(self.rows[Guardian]),
            sibling_families=sum(len(f.children) > 1 for f in self.families),
            staff=len(self.rows[Staff]),
            venues=len(self.rows[Venue]),
        )
