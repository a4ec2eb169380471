"""Word lists, office scenes and fact tables for the synthetic bank generator (`generate.py`).

The content imitates CMAS items: a short office scenario (a biller preparing claims, a clerk
handling a records request, a payroll run) and a closed lead-in question about one fact of the
outline, with the key and three distractors drawn from the same kind of answer. Facts follow the
item-writing guide's "facts items rest on" but are not reviewed: this is benchmark material,
never bank content.

Template fields:
- people: `{s}` staff member, `{p}` patient or coworker (the full name the first time, the first
  name after that), pronouns `{ss} {so} {sp}` (staff: she/her/her) and `{ps} {po} {pp}`;
- non-content values: `{town}`, `{date}`, `{age}`, `{count}` (a copy that changes these is a
  "changed name / number / date" duplicate);
- content slots: any other field names a list in `POOLS`; two items whose scenarios share most
  content slots are near copies, which the generator avoids among its base items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FEMALE = (
    "Dana Amara Priya Lena Rosa Keiko Marisol Hannah Ngozi Ingrid Yasmin Colette Beatriz Tamsin "
    "Odette Sunita Mireille Fatima Greta Lucia Noor Esther Willa Paloma Anika Sienna Ruth Imani "
    "Carmen Delphine Joanna Maeve Leticia Svetlana Harriet Ayesha Linnea Consuelo Bettina Farah"
).split()
MALE = (
    "Marcus Teodor Samuel Kofi Arjun Mateo Henrik Tobias Emeka Rafael Dmitri Oliver Ibrahim "
    "Caspian Lorenzo Desmond Hiroshi Anders Julian Omar Fergus Nikolai Ruben Tariq Elliot Bram "
    "Cyrus Leopold Wendell Quentin Malik Soren Vikram Barnaby Ezra Gideon Alistair Thaddeus Idris"
).split()
SURNAMES = (
    "Whitfield Oyelaran Lindqvist Delgado Raman Okafor Fairbanks Castellano Nakamura Brennan "
    "Abernathy Mbeki Kowalczyk Haddad Sorensen Vasquez Achterberg Pellegrini Thornbury Adeyemi "
    "Lachance Marchetti Oduya Halvorsen Quintero Ashworth Bellamy Cardenas Drummond Eriksen "
    "Fontaine Galloway Hargreaves Iwasaki Jaramillo Kettering Lozano Mwangi Northcott Ostrowski "
    "Prescott Quigley Rasmussen Salcedo Trevino Underhill Valdivia Wexford Yilmaz Zubiri "
    "Albrecht Bancroft Coelho Dunleavy Ellsworth Fitzgerald Grimaldi Holloway Ibarra Jennings"
).split()
TOWNS = (
    "Millbrook|Cedar Falls|Port Alden|Riverton|Ashford|Bellwater|Carver City|Dunmore|Elmhurst|"
    "Fairhaven|Glenwood|Harlow|Iron Ridge|Juniper Springs|Kingsport|Lakeview|Maple Grove|"
    "North Fork|Oakdale|Pine Bluff|Quarry Hill|Redmond Park|Stillwater|Thornton|Union Gap|"
    "Vale City|Westbury|Yorkfield|Ambler|Brookhaven|Clearwater Bay|Deer Creek|Eastborough|"
    "Foxhollow|Greenport|Hillsdale|Ivy Bend|Jasper|Kettle Falls|Linden"
).split("|")
MONTHS = (
    "January February March April May June July August September October November December".split()
)

POOLS: dict[str, tuple[str, ...]] = {
    "practice": (
        "a family practice", "a pediatric clinic", "an orthopedic group", "a dermatology office",
        "a cardiology practice", "an internal medicine clinic", "an urgent care center",
        "a women's health practice", "a multispecialty group", "a rural health clinic",
        "an allergy and asthma clinic", "a podiatry office", "an ear, nose and throat practice",
        "a gastroenterology group", "a sports medicine clinic", "a neurology practice",
        "a community health center", "a geriatric medicine practice",
    ),
    "time": (
        "on a busy Monday morning", "shortly before noon", "late on a Friday afternoon",
        "during the lunch hour", "at the start of the day", "just after the office opens",
        "near the end of the day", "on a quiet Wednesday afternoon", "early on a Tuesday",
        "during the afternoon rush", "on a Saturday clinic morning", "between two staff meetings",
    ),
    "front_role": (
        "receptionist", "front desk coordinator", "patient services representative",
        "medical administrative assistant", "check-in clerk", "front office assistant",
    ),
    "front_task": (
        "checking in the morning's patients", "answering the main phone line",
        "updating the appointment schedule", "scanning insurance cards",
        "greeting walk-in patients", "confirming tomorrow's appointments",
        "collecting copayments at check-in", "preparing registration packets",
        "sorting the incoming mail", "returning patient phone messages",
    ),
    "front_event": (
        "arrives for an annual physical", "walks in without an appointment",
        "comes in for a follow-up visit", "calls to ask about a recent bill",
        "arrives early for a new-patient visit", "stops at the desk after seeing the physician",
        "comes in to drop off a completed form", "arrives with a new insurance card",
    ),
    "front_question": (
        "the practice's privacy notice", "the cost of the visit", "a form from another office",
        "a billing statement", "the wait time", "a referral to a specialist",
    ),
    "patient_kind": (
        "new patient", "established patient", "returning patient", "Medicare beneficiary",
        "patient with an employer health plan", "patient covered by Medicaid",
    ),
    "billing_role": (
        "billing specialist", "medical biller", "claims processor", "reimbursement specialist",
        "billing and coding assistant", "patient accounts representative",
    ),
    "billing_task": (
        "preparing claims for yesterday's visits", "working through a stack of denied claims",
        "reviewing charges before the weekly claim run",
        "entering charges from the morning's encounter forms",
        "checking claims returned by the clearinghouse", "following up on unpaid claims",
        "posting payments from this week's remittances", "auditing last month's claims",
        "correcting a rejected claim", "training a new coworker on claim entry",
    ),
    "billing_visit": (
        "was seen for a follow-up of high blood pressure", "had a laceration repaired",
        "came in with a sore throat", "received a flu vaccine", "had an annual wellness visit",
        "was treated for a sprained ankle", "had a skin lesion removed",
        "was admitted through the emergency department", "had a screening colonoscopy",
        "was seen for a diabetes check",
    ),
    "plan": (
        "a commercial PPO plan", "Medicare Part B", "a Medicaid managed care plan",
        "an employer HMO plan", "a high-deductible health plan", "TRICARE Select",
        "a workers' compensation carrier",
    ),
    "records_role": (
        "health information clerk", "records technician", "release-of-information specialist",
        "medical records clerk", "health information technician",
    ),
    "records_task": (
        "processing requests for copies of records",
        "scanning paper documents into the electronic record",
        "preparing charts for tomorrow's appointments", "reviewing records due to be purged",
        "answering a request from an attorney's office", "reorganizing the file room",
        "auditing charts for missing signatures", "indexing loose reports",
        "checking signed release forms",
    ),
    "records_event": (
        "submits a written request for a copy of a chart", "asks to see the notes from a recent visit",
        "asks the practice to send records to a new physician", "asks to correct an entry in a chart",
        "asks who has looked at a chart", "calls about records from a visit several years ago",
    ),
    "chart_content": (
        "notes from several years of visits", "outside laboratory reports",
        "a hospital discharge summary", "referral letters from two specialists",
        "imaging reports", "a signed consent form",
    ),
    "records_issue": (
        "the chart has a loose page", "a signature is missing from one note",
        "two patients have similar names", "the request form is not dated",
        "an outside report was filed in the wrong chart", "the folder label is faded",
    ),
    "finance_role": (
        "office manager", "bookkeeper", "practice administrator", "accounts clerk",
        "business office supervisor",
    ),
    "finance_task": (
        "closing out the day's receipts", "preparing the bank deposit", "reviewing the month's accounts",
        "running the payroll for the last pay period", "reconciling the practice's checking account",
        "reviewing the aging report", "counting the petty cash fund", "paying supplier invoices",
        "posting patient payments", "preparing figures for the accountant",
    ),
    "finance_event": (
        "pays part of an outstanding balance", "asks to set up a payment plan",
        "disputes a charge on a statement", "pays by check at the front desk",
        "asks for an itemized statement", "receives a refund notice",
    ),
    "finance_system": (
        "a pegboard day sheet", "practice management software", "a cash-basis bookkeeping system",
        "an accrual accounting system", "a monthly ledger kept by the office manager",
    ),
    "deadline": (
        "the bank closes", "the accountant's visit", "the end of the month", "the payroll deadline",
        "the staff meeting",
    ),
    "clinical_role": (
        "medical assistant", "clinical assistant", "patient care technician",
        "certified medical assistant",
    ),
    "clinical_task": (
        "rooming patients for the afternoon clinic", "reviewing charts before the physician's visits",
        "restocking the examination rooms", "taking vital signs for scheduled patients",
        "preparing an examination room", "documenting a patient interview",
        "abstracting information from a dictated note", "reviewing the day's medication orders",
        "helping a new coworker learn the charting system",
    ),
    "clinical_event": (
        "comes in for a scheduled follow-up", "arrives for a physical examination",
        "comes in complaining of a cough", "is seen for a blood pressure check",
        "arrives for a medication review", "comes in after a fall at home",
    ),
    "clinical_request": (
        "prepare the patient for the examination", "update the chart before the visit",
        "explain the plan to the patient", "check the chart for missing information",
        "record the findings in the note",
    ),
    "mood": ("anxious", "tired", "in a hurry", "confused", "cheerful", "worried about the cost"),
    "office_role": (
        "office manager", "practice administrator", "compliance coordinator",
        "operations supervisor", "human resources coordinator", "clinic supervisor",
    ),
    "office_task": (
        "updating the office policy manual", "preparing for the monthly staff meeting",
        "reviewing a new employee's paperwork", "walking through the office for a safety check",
        "ordering supplies for the next quarter", "reviewing an incident from last week",
        "planning training for new staff", "answering questions from the staff",
        "reviewing the practice's contracts", "preparing for an accreditation visit",
    ),
    "office_event": (
        "asks about a policy", "reports a problem in the break room",
        "returns from a leave of absence", "starts a new position",
        "raises a concern at the staff meeting", "asks for a change in schedule",
    ),
    "office_fact": (
        "two physicians", "a busy walk-in clinic", "a small laboratory", "an attached pharmacy",
        "three examination rooms", "a satellite office",
    ),
    "manner": (
        "before the end of the week", "the way the policy manual describes",
        "without disrupting patient care", "with the physician's approval", "in writing",
    ),
    "it_role": ("office manager", "IT support contractor", "practice administrator", "systems coordinator"),
    "it_task": (
        "setting up workstations for new employees", "reviewing the practice's computer security",
        "replacing an old server", "updating the electronic health record software",
        "checking the nightly backups", "training staff on the new scheduling software",
        "reviewing user accounts", "planning the move to a cloud system",
    ),
    "it_event": (
        "reports a suspicious e-mail", "forgets a password", "leaves a workstation logged in",
        "asks to use a personal laptop", "copies files to a flash drive",
        "asks for access to billing records",
    ),
    "it_data": ("patient charts", "billing records", "appointment schedules", "scanned documents", "payroll files"),
    "it_system": ("a local server", "a cloud service", "a shared network drive", "each workstation"),
    "job": (
        "receptionist", "billing clerk", "medical assistant", "scheduler", "file clerk",
        "phlebotomist", "insurance clerk", "transcriptionist",
    ),
}


@dataclass(frozen=True)
class Scene:
    """Sentences that set an office scene: one opener (introduces the staff member), then up to
    two details (introduce the patient or coworker)."""

    openers: tuple[str, ...]
    details: tuple[str, ...]


SCENES: dict[str, Scene] = {
    "front": Scene(
        openers=(
            "{s}, a {front_role} at {practice} in {town}, is covering the front desk {time}.",
            "{time}, {s} is working as the {front_role} at {practice}.",
            "{s} has just started as a {front_role} at {practice} and is {front_task}.",
            "At {practice} in {town}, {s} is {front_task} {time}.",
            "{s} works the reception window at {practice}, where {ss} is {front_task}.",
            "The {front_role} at {practice}, {s}, is {front_task} {time}.",
        ),
        details=(
            "{p}, a {age}-year-old {patient_kind}, {front_event}.",
            "{p} {front_event} on {date}.",
            "{p} {front_event} and asks {so} about {front_question}.",
            "Before that, {p}, a {patient_kind}, asked about {front_question}.",
        ),
    ),
    "billing": Scene(
        openers=(
            "{s}, a {billing_role} at {practice} in {town}, is {billing_task} {time}.",
            "{time}, {s} is {billing_task} for {practice}.",
            "The {billing_role} at {practice}, {s}, is {billing_task}.",
            "{s} handles claims for {practice} and is {billing_task} {time}.",
            "As the new {billing_role} at {practice}, {s} is {billing_task}.",
        ),
        details=(
            "The claim is for {p}, a {age}-year-old {patient_kind} who {billing_visit} on {date}.",
            "{p}'s coverage is {plan}, and the visit took place on {date}.",
            "{ss} has the encounter form and the physician's note for {p}, who {billing_visit}.",
            "{p}, a {patient_kind} insured by {plan}, {billing_visit}.",
        ),
    ),
    "records": Scene(
        openers=(
            "{s}, a {records_role} at {practice} in {town}, is {records_task} {time}.",
            "{time}, {s} is {records_task} in the health information office of {practice}.",
            "The {records_role} at {practice}, {s}, is {records_task}.",
            "{s} manages patient records for {practice} and is {records_task}.",
        ),
        details=(
            "{p}, a {age}-year-old {patient_kind}, {records_event} on {date}.",
            "The request concerns {p}, whose chart includes {chart_content}.",
            "{ss} notices that {records_issue}.",
            "{p}, a {patient_kind}, {records_event}.",
        ),
    ),
    "finance": Scene(
        openers=(
            "{s}, the {finance_role} at {practice} in {town}, is {finance_task} {time}.",
            "{time}, {s} is {finance_task} for {practice}.",
            "At {practice}, {s} is {finance_task}.",
            "{s} keeps the books for {practice} and is {finance_task}.",
        ),
        details=(
            "{p}, a {age}-year-old {patient_kind}, {finance_event} on {date}.",
            "The practice uses {finance_system} to track its money.",
            "{ss} wants to finish before {deadline}.",
            "Earlier, {p}, a {patient_kind}, {finance_event}.",
        ),
    ),
    "clinical": Scene(
        openers=(
            "{s}, a {clinical_role} at {practice} in {town}, is {clinical_task} {time}.",
            "{time}, {s} is {clinical_task} at {practice}.",
            "The {clinical_role} at {practice}, {s}, is {clinical_task}.",
            "{s} works in the back office of {practice} and is {clinical_task}.",
        ),
        details=(
            "{p}, a {age}-year-old {patient_kind}, {clinical_event} on {date}.",
            "The physician has asked {so} to {clinical_request}.",
            "{p} seems {mood} and asks {so} several questions.",
            "{p}, a {patient_kind}, {clinical_event}.",
        ),
    ),
    "office": Scene(
        openers=(
            "{s}, the {office_role} at {practice} in {town}, is {office_task} {time}.",
            "{time}, {s} is {office_task} for {practice}.",
            "At {practice}, {s} is {office_task}.",
            "{s} runs the business side of {practice} and is {office_task}.",
        ),
        details=(
            "A coworker, {p}, {office_event} on {date}.",
            "The practice has {count} employees and {office_fact}.",
            "{ss} wants to handle it {manner}.",
            "Earlier that week, a coworker, {p}, {office_event}.",
        ),
    ),
    "computing": Scene(
        openers=(
            "{s}, the {it_role} at {practice} in {town}, is {it_task} {time}.",
            "{time}, {s} is {it_task} for {practice}.",
            "At {practice}, {s} is {it_task}.",
            "{s} looks after the computers at {practice} and is {it_task}.",
        ),
        details=(
            "A coworker, {p}, {it_event} on {date}.",
            "The practice stores {it_data} on {it_system}.",
            "{ss} wants to handle it {manner}.",
            "Earlier, a coworker, {p}, {it_event}.",
        ),
    ),
}

Fact = tuple[str, str] | tuple[str, str, tuple[str, ...]]
"""(x, key) or (x, key, distractors): `x` fills the lead-in, `key` is the answer."""


@dataclass(frozen=True)
class Topic:
    """A family of questions: lead-ins with a `{x}` slot, facts (x -> key), and the answers that
    serve as distractors (the keys of the other facts plus `extra`)."""

    name: str
    sub: str
    scene: str
    leads: tuple[str, ...]
    recall: tuple[str, ...]
    facts: tuple[Fact, ...]
    reference: str
    extra: tuple[str, ...] = ()
    actions: bool = False  # options are actions ("Give abdominal thrusts")
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([f[1] for f in self.facts] + list(self.extra)))


TOPICS: tuple[Topic, ...] = (
    Topic(
        "word-parts", "1A", "clinical",
        ("In the note {ss} is reading, what does the word part {x} mean?",
         "What does the word part {x} mean in the note {sf} is abstracting?"),
        ("What does the word part {x} mean?",),
        (("-itis in arthritis", "inflammation"), ("-ectomy in appendectomy", "surgical removal"),
         ("-otomy in tracheotomy", "incision"), ("-ostomy in colostomy", "creation of an opening"),
         ("-algia in neuralgia", "pain"), ("-emia in anemia", "blood condition"),
         ("-plasty in rhinoplasty", "surgical repair"), ("-scopy in endoscopy", "visual examination"),
         ("-megaly in cardiomegaly", "enlargement"), ("-pathy in neuropathy", "disease"),
         ("brady- in bradycardia", "slow"), ("tachy- in tachycardia", "fast"),
         ("hyper- in hypertension", "above normal"), ("hypo- in hypoglycemia", "below normal"),
         ("dys- in dysphagia", "difficult or painful"), ("peri- in pericarditis", "around"),
         ("hemi- in hemiplegia", "half"), ("poly- in polyuria", "many or much"),
         ("-rrhea in rhinorrhea", "flow or discharge"), ("nephr/o in nephrology", "kidney"),
         ("hepat/o in hepatomegaly", "liver"), ("gastr/o in gastritis", "stomach"),
         ("derm/o in dermatology", "skin"), ("oste/o in osteoporosis", "bone"),
         ("neur/o in neurology", "nerve"), ("-logy in cardiology", "study of"),
         ("-penia in leukopenia", "deficiency"), ("erythr/o in erythrocyte", "red"),
         ("leuk/o in leukocyte", "white"), ("my/o in myalgia", "muscle"),
         ("arthr/o in arthroscopy", "joint")),
        "Medical terminology text, word parts chapter",
        tags=("terminology", "word-parts"),
    ),
    Topic(
        "abbreviations", "1A", "clinical",
        ("In the chart note {ss} is reviewing, what does the abbreviation {x} mean?",
         "{sf} sees the abbreviation {x} in the physician's note. What does it mean?"),
        ("In a chart note, what does the abbreviation {x} mean?",),
        (("BID", "twice a day"), ("TID", "three times a day"), ("QID", "four times a day"),
         ("PRN", "as needed"), ("NPO", "nothing by mouth"), ("PO", "by mouth"),
         ("STAT", "immediately"), ("SOB", "shortness of breath"), ("CC", "chief complaint"),
         ("HPI", "history of present illness"), ("ROS", "review of systems"),
         ("NKDA", "no known drug allergies"), ("WNL", "within normal limits"),
         ("c/o", "complains of"), ("AC", "before meals"), ("PC", "after meals"),
         ("CBC", "complete blood count"), ("UA", "urinalysis"), ("ECG", "electrocardiogram"),
         ("Dx", "diagnosis"), ("Tx", "treatment"), ("Hx", "history")),
        "Medical terminology text, abbreviations appendix",
        tags=("terminology", "abbreviations"),
    ),
    Topic(
        "body-systems", "1B", "clinical",
        ("The note {ss} is reading mentions the {x}. To which body system does it belong?",
         "To which body system does the {x}, named in the note {sf} is abstracting, belong?"),
        ("To which body system does the {x} belong?",),
        (("thyroid gland", "endocrine system"), ("pituitary gland", "endocrine system"),
         ("adrenal glands", "endocrine system"), ("kidneys", "urinary system"),
         ("ureters", "urinary system"), ("urinary bladder", "urinary system"),
         ("femur", "skeletal system"), ("sternum", "skeletal system"), ("trachea", "respiratory system"),
         ("bronchi", "respiratory system"), ("alveoli", "respiratory system"),
         ("spleen", "lymphatic system"), ("thymus", "lymphatic system"),
         ("lymph nodes", "lymphatic system"), ("sweat glands", "integumentary system"),
         ("hair follicles", "integumentary system"), ("prostate gland", "reproductive system"),
         ("spinal cord", "nervous system"), ("cerebellum", "nervous system"),
         ("sciatic nerve", "nervous system"), ("aorta", "cardiovascular system"),
         ("capillaries", "cardiovascular system"), ("biceps", "muscular system"),
         ("quadriceps", "muscular system"), ("esophagus", "digestive system"),
         ("gallbladder", "digestive system"), ("small intestine", "digestive system")),
        "Anatomy and physiology text, body systems overview",
        tags=("anatomy",),
    ),
    Topic(
        "legal-terms", "1C", "office",
        ("{ss} is preparing a training session. Which legal term describes {x}?",
         "For the training {sf} is planning, which term names {x}?"),
        ("Which legal term describes {x}?",),
        (("a worker's failure to act as a reasonably careful person would", "negligence"),
         ("professional negligence by a licensed provider", "malpractice"),
         ("ending a patient's care without reasonable notice", "abandonment"),
         ("an employer's liability for an employee's acts on the job", "respondeat superior"),
         ("touching a patient without consent", "battery"),
         ("threatening a patient with harmful contact", "assault"),
         ("consent shown by a patient's actions, such as rolling up a sleeve", "implied consent"),
         ("consent given after risks, benefits and alternatives are explained", "informed consent"),
         ("a court order to produce records", "subpoena duces tecum"),
         ("the time limit for filing a lawsuit", "statute of limitations"),
         ("a false written statement that harms a reputation", "libel"),
         ("a false spoken statement that harms a reputation", "slander"),
         ("a law that protects people who give emergency aid in good faith", "Good Samaritan law")),
        "Law and ethics for medical careers, chapter on torts and consent",
        extra=("arbitration", "tort reform"),
        tags=("law", "ethics"),
    ),
    Topic(
        "professionalism", "1D", "office",
        ("{ss} is writing staff reviews. Which professional quality is shown by {x}?",
         "Which quality does {sf} see in {x}?"),
        ("Which professional quality is shown by {x}?",),
        (("keeping a patient's information to oneself", "confidentiality"),
         ("reporting one's own charting error to a supervisor", "integrity"),
         ("arriving on time for every shift", "dependability"),
         ("understanding how a patient feels", "empathy"),
         ("respecting a patient's cultural beliefs", "cultural sensitivity"),
         ("doing only tasks one is trained and allowed to perform", "working within the scope of practice"),
         ("working with others toward a shared goal", "teamwork"),
         ("checking that a patient understood the instructions", "effective communication")),
        "Medical assisting text, professionalism chapter",
        tags=("professionalism",),
    ),
    Topic(
        "health-history", "2A", "clinical",
        ("In which part of the health history does {ss} record {x}?",
         "Where in the health history should {sf} document {x}?"),
        ("In which part of the health history is {x} recorded?",),
        (("the reason the patient gives for today's visit", "chief complaint"),
         ("the onset, duration and severity of the current symptoms", "history of present illness"),
         ("past surgeries and hospital stays", "past medical history"),
         ("illnesses of the patient's parents and siblings", "family history"),
         ("tobacco and alcohol use", "social history"), ("the patient's occupation", "social history"),
         ("a check of symptoms in each body system", "review of systems"),
         ("childhood illnesses", "past medical history")),
        "Medical assisting text, patient interview chapter",
        tags=("health-history",),
    ),
    Topic(
        "soap", "2B", "clinical",
        ("In a SOAP note, in which section does {ss} record {x}?",
         "In which SOAP section should {sf} document {x}?"),
        ("In a SOAP note, in which section is {x} recorded?",),
        (("the patient's statement that the pain started three days ago", "Subjective"),
         ("the patient's description of nausea", "Subjective"),
         ("the patient's report of poor sleep", "Subjective"),
         ("the vital signs taken at the visit", "Objective"),
         ("the result of a rapid strep test", "Objective"),
         ("the physician's examination findings", "Objective"),
         ("the diagnosis of acute bronchitis", "Assessment"),
         ("the physician's impression of the problem", "Assessment"),
         ("a list of possible diagnoses", "Assessment"),
         ("a new prescription and a follow-up in two weeks", "Plan"),
         ("a referral to a cardiologist", "Plan"), ("the education to be given to the patient", "Plan")),
        "Medical assisting text, charting chapter",
        tags=("charting", "soap"),
    ),
    Topic(
        "vital-signs", "2C", "clinical",
        ("What is the normal range for {x}?", "Which range should {sf} expect for {x}?"),
        ("What is the normal range for {x}?",),
        (("the resting pulse of an adult", "60 to 100 beats per minute"),
         ("the respiratory rate of an adult", "12 to 20 breaths per minute"),
         ("the resting pulse of a newborn", "120 to 160 beats per minute"),
         ("the respiratory rate of a newborn", "30 to 60 breaths per minute"),
         ("the oxygen saturation of a healthy adult", "95 to 100 percent")),
        "Medical assisting text, vital signs chapter",
        extra=("40 to 60 beats per minute", "20 to 30 breaths per minute", "85 to 90 percent",
               "100 to 140 beats per minute"),
        tags=("vital-signs",),
    ),
    Topic(
        "pulse-sites", "2C", "clinical",
        ("Which pulse site is {x}?", "{sf} needs the pulse site {x}. Which site is it?"),
        ("Which pulse site is {x}?",),
        (("on the thumb side of the wrist", "radial"), ("in the neck beside the trachea", "carotid"),
         ("at the inner elbow", "brachial"), ("at the apex of the heart", "apical"),
         ("behind the knee", "popliteal"), ("on the top of the foot", "dorsalis pedis"),
         ("in the groin", "femoral"), ("in front of the ear", "temporal")),
        "Medical assisting text, vital signs chapter",
        tags=("vital-signs",),
    ),
    Topic(
        "chain-of-infection", "2D", "clinical",
        ("Which link in the chain of infection does {x} break?",
         "{sf} is teaching a new coworker. Which link in the chain of infection is broken by {x}?"),
        ("Which link in the chain of infection does {x} break?",),
        (("hand hygiene between patients", "mode of transmission"),
         ("vaccinating staff against hepatitis B", "susceptible host"),
         ("covering a cough", "portal of exit"), ("disinfecting countertops", "reservoir"),
         ("treating a patient's infection with antibiotics", "infectious agent"),
         ("wearing a mask near a coughing patient", "portal of entry")),
        "CDC infection control guidance; medical assisting text, asepsis chapter",
        tags=("infection-control",),
    ),
    Topic(
        "exam-positions", "2E", "clinical",
        ("Which examination position should {ss} use for {x}?",
         "How should {sf} position the patient for {x}?"),
        ("Which examination position is used for {x}?",),
        (("a pelvic examination", "lithotomy"), ("a rectal examination", "Sims'"),
         ("a patient who has trouble breathing", "Fowler's"), ("an examination of the back", "prone"),
         ("an examination of the abdomen", "supine"), ("a proctologic examination", "knee-chest"),
         ("a vaginal examination without stirrups", "dorsal recumbent")),
        "Medical assisting text, examination preparation chapter",
        extra=("Trendelenburg", "sitting"),
        tags=("exam-preparation",),
    ),
    Topic(
        "first-aid", "2F", "clinical",
        ("What should {ss} do first when {x}?", "What is {sf}'s first step when {x}?"),
        ("What is the first step when {x}?",),
        (("a conscious adult is choking and cannot speak", "Give abdominal thrusts"),
         ("a patient faints in the waiting room", "Lay the patient flat and raise the legs"),
         ("a patient has a nosebleed", "Have the patient lean forward and pinch the nose"),
         ("a patient has a seizure", "Protect the patient's head and clear the area"),
         ("a conscious patient with diabetes is shaky and sweaty", "Give a fast-acting sugar"),
         ("an adult collapses and is not breathing", "Call 911 and start CPR"),
         ("a coworker burns a hand on hot water", "Cool the burn under running water"),
         ("a patient has a small cut that bleeds", "Apply direct pressure")),
        "American Red Cross first aid manual",
        actions=True,
        tags=("emergencies", "first-aid"),
    ),
    Topic(
        "drug-schedules", "2G", "clinical",
        ("Under the Controlled Substances Act, which schedule includes {x}?",
         "{sf} is checking an order. Which schedule includes {x}?"),
        ("Under the Controlled Substances Act, which schedule includes {x}?",),
        (("drugs with high abuse potential and no accepted medical use, such as heroin", "Schedule I"),
         ("drugs with high abuse potential and accepted medical use, such as oxycodone", "Schedule II"),
         ("drugs with moderate potential for dependence, such as anabolic steroids", "Schedule III"),
         ("drugs with low abuse potential, such as alprazolam", "Schedule IV"),
         ("drugs with the lowest abuse potential, such as low-dose codeine cough syrups", "Schedule V")),
        "21 CFR 1308",
        tags=("pharmacology",),
    ),
    Topic(
        "drug-routes", "2G", "clinical",
        ("Which route of administration is {x}?", "The order {sf} is reading gives a drug {x}. Which route is this?"),
        ("Which route of administration is {x}?",),
        (("under the tongue", "sublingual"), ("between the cheek and gum", "buccal"),
         ("into a muscle", "intramuscular"), ("just under the skin", "subcutaneous"),
         ("into the top layers of the skin", "intradermal"), ("into a vein", "intravenous"),
         ("through the skin from a patch", "transdermal"), ("into the rectum", "rectal")),
        "Pharmacology for medical assistants, routes chapter",
        tags=("pharmacology",),
    ),
    Topic(
        "scheduling-methods", "3A", "front",
        ("Which scheduling method {x}?", "{sf} is asked to set up a schedule that {x}. Which method is it?"),
        ("Which scheduling method {x}?",),
        (("books several patients at the start of each hour and sees them in order of arrival", "wave scheduling"),
         ("books two patients at the start of the hour and one every 20 minutes after", "modified wave scheduling"),
         ("gives each patient a set time of a set length", "stream scheduling"),
         ("groups similar visits, such as physicals, in one block", "cluster scheduling"),
         ("books two patients in the same time slot", "double booking"),
         ("sees patients in order of arrival during set hours without appointments", "open hours"),
         ("lets patients book their own visits online", "self-scheduling")),
        "Medical office administration text, scheduling chapter",
        tags=("scheduling",),
    ),
    Topic(
        "phone-triage", "3A", "front",
        ("How should {ss} handle a call from {x}?", "What should {sf} do with a call from {x}?"),
        ("How should the front desk handle a call from {x}?",),
        (("a patient reporting crushing chest pain", "Tell the caller to hang up and call 911"),
         ("a patient asking to refill a prescription", "Take a message for the provider"),
         ("a patient asking to move a routine appointment", "Reschedule the appointment"),
         ("another physician asking to speak with the doctor", "Put the call through to the physician"),
         ("a sales representative asking to see the doctor", "Offer an appointment at a set time")),
        "Medical office administration text, telephone chapter",
        actions=True,
        tags=("telephone", "triage"),
    ),
    Topic(
        "check-in", "3B", "front",
        ("What should {ss} do {x}?", "What is {sf}'s next step {x}?"),
        ("What should the front desk do {x}?",),
        (("when a returning patient presents a new insurance card", "Copy both sides of the card and update the record"),
         ("when a patient arrives for a first visit", "Have the patient complete a registration form"),
         ("when a patient has waited well past the appointment time", "Explain the delay and offer to reschedule"),
         ("when a patient arrives with a rash that may be contagious", "Move the patient to a separate room"),
         ("at the first visit of every new patient", "Give the Notice of Privacy Practices")),
        "Medical office administration text, reception chapter",
        actions=True,
        tags=("reception",),
    ),
    Topic(
        "correspondence", "3C", "front",
        ("Which term matches what {ss} needs: {x}?", "{sf} needs {x}. Which term names it?"),
        ("Which term names {x}?",),
        (("a mail service that gives proof of mailing and of delivery", "certified mail"),
         ("a letter style that starts every line at the left margin", "full block"),
         ("a letter style with the date and closing starting at the center", "modified block"),
         ("the part of a letter that gives the reader's name and address", "inside address"),
         ("the notation that shows who typed a letter", "reference initials"),
         ("the notation that shows something is included with a letter", "enclosure notation")),
        "Medical office administration text, written communication chapter",
        extra=("simplified style", "salutation"),
        tags=("communication",),
    ),
    Topic(
        "community-resources", "3D", "front",
        ("Which community resource should {ss} suggest for a patient who {x}?",
         "{sf} is asked about help for a patient who {x}. Which resource fits?"),
        ("Which community resource fits a patient who {x}?",),
        (("needs meals delivered at home", "Meals on Wheels"),
         ("is terminally ill and wants comfort care at home", "hospice"),
         ("is pregnant and needs help buying nutritious food", "WIC"),
         ("wants help to stop drinking", "Alcoholics Anonymous"),
         ("needs skilled nursing visits at home after surgery", "a home health agency"),
         ("cares for a parent and needs a short break", "respite care")),
        "Medical assisting text, community resources chapter",
        tags=("community-resources",),
    ),
    Topic(
        "filing-systems", "4A", "records",
        ("Which filing system or tool {x}?", "{sf} wants a system that {x}. Which one is it?"),
        ("Which filing system or tool {x}?",),
        (("files charts by the last two digits of the record number", "terminal digit filing"),
         ("files charts by patient last name", "alphabetic filing"),
         ("files charts in order from the first digit of the number", "straight numeric filing"),
         ("files papers by topic, such as contracts or policies", "subject filing"),
         ("files documents by date", "chronological filing"),
         ("uses colored labels to spot misfiled charts", "color-coded filing"),
         ("organizes the chart around a problem list", "problem-oriented medical record"),
         ("marks where a removed chart belongs", "outguide"),
         ("reminds staff of follow-up dates", "tickler file")),
        "Medical office administration text, records management chapter",
        tags=("filing",),
    ),
    Topic(
        "records-procedures", "4B", "records",
        ("What is the correct way for {ss} to {x}?", "How should {sf} {x}?"),
        ("What is the correct way to {x}?",),
        (("correct an error in a paper chart", "Draw one line through it, then initial and date it"),
         ("file the name McDonald alphabetically", "File it as spelled, under M-c"),
         ("index a hyphenated last name", "Treat it as one unit"),
         ("handle a chart not used for several years", "Move it to inactive storage"),
         ("add a late entry to a chart", "Label it as a late entry with the current date"),
         ("file a loose laboratory report", "File it in the patient's chart by date")),
        "Medical office administration text, records procedures chapter",
        actions=True,
        tags=("records",),
    ),
    Topic(
        "hipaa-privacy", "4C", "records",
        ("Under the HIPAA Privacy Rule, {x}?", "{sf} checks the Privacy Rule: {x}?"),
        ("Under the HIPAA Privacy Rule, {x}?",),
        (("how long may the practice take to act on a request for access", "30 days",
          ("10 days", "60 days", "90 days", "120 days")),
         ("which disclosures need no authorization", "those for treatment, payment and operations",
          ("those for marketing", "those to employers", "those to life insurers", "those for fundraising")),
         ("which standard limits a disclosure to what its purpose needs", "minimum necessary",
          ("need to know", "least privilege", "reasonable reliance", "limited data set")),
         ("which document tells patients how their information is used", "Notice of Privacy Practices",
          ("authorization form", "business associate agreement", "consent to treat", "privacy policy manual")),
         ("which notes need a specific authorization before release", "psychotherapy notes",
          ("progress notes", "discharge summaries", "laboratory reports", "nursing notes")),
         ("who may get records on a patient's behalf", "a personal representative",
          ("any family member", "the patient's employer", "a neighbor", "any attorney")),
         ("what may the practice charge for copies", "a reasonable, cost-based fee",
          ("any fee it chooses", "nothing", "a fee set by the payer", "a fee per page over 100")),
         ("which agency enforces the rule", "the Office for Civil Rights",
          ("the FDA", "OSHA", "the CDC", "the Joint Commission"))),
        "45 CFR 164.502-164.524",
        tags=("hipaa", "privacy"),
    ),
    Topic(
        "medicare-parts", "5A", "billing",
        ("Which part of Medicare covers {x}?", "For this patient, which part of Medicare pays for {x}?"),
        ("Which part of Medicare covers {x}?",),
        (("inpatient hospital stays", "Part A"), ("skilled nursing care after a hospital stay", "Part A"),
         ("hospice care", "Part A"), ("physician office visits", "Part B"),
         ("outpatient laboratory tests", "Part B"), ("durable medical equipment", "Part B"),
         ("plans run by private insurers approved by Medicare", "Part C"),
         ("outpatient prescription drugs", "Part D")),
        "Medicare & You handbook",
        tags=("medicare",),
    ),
    Topic(
        "insurance-terms", "5A", "billing",
        ("Which term describes {x}?", "{sf} must explain {x} to the patient. What is it called?"),
        ("Which insurance term describes {x}?",),
        (("the amount a patient pays each year before the plan pays", "deductible"),
         ("a fixed amount the patient pays for each visit", "copayment"),
         ("the percentage of the allowed amount the patient pays after the deductible", "coinsurance"),
         ("the amount paid to keep coverage in force", "premium"),
         ("the plan's approval needed before certain services", "preauthorization"),
         ("the form a Medicare patient signs when a service may not be covered", "Advance Beneficiary Notice"),
         ("the statement a payer sends the patient about a processed claim", "explanation of benefits"),
         ("the electronic file a payer sends the practice about payments", "electronic remittance advice"),
         ("the rule that the parent whose birthday comes first has primary coverage", "birthday rule"),
         ("deciding which plan pays first when a patient has two plans", "coordination of benefits")),
        "Insurance handbook for the medical office",
        tags=("insurance",),
    ),
    Topic(
        "code-sets", "5B", "billing",
        ("Which code set does {ss} use to report {x}?", "To report {x}, which code set should {sf} use?"),
        ("Which code set is used to report {x}?",),
        (("the diagnoses on an outpatient claim", "ICD-10-CM"), ("the reason for a visit", "ICD-10-CM"),
         ("office visits and procedures by physicians", "CPT"),
         ("ambulance services and durable medical equipment", "HCPCS Level II"),
         ("inpatient hospital procedures", "ICD-10-PCS"),
         ("injectable drugs supplied in the office", "HCPCS Level II"),
         ("procedures done in a physician's office", "CPT"),
         ("an encounter for a routine vaccination", "ICD-10-CM")),
        "CMS code set standards, 45 CFR 162.1002",
        tags=("coding",),
    ),
    Topic(
        "cpt-sections", "5B", "billing",
        ("In which section of CPT does {ss} find the code for {x}?", "Where in CPT should {sf} look for {x}?"),
        ("In which section of CPT is the code for {x}?",),
        (("an office visit", "Evaluation and Management"), ("general anesthesia", "Anesthesia"),
         ("removal of a skin lesion", "Surgery"), ("a chest X-ray", "Radiology"),
         ("a complete blood count", "Pathology and Laboratory"), ("vaccine administration", "Medicine"),
         ("a screening colonoscopy", "Surgery"), ("an electrocardiogram", "Medicine"),
         ("a hospital inpatient visit", "Evaluation and Management")),
        "AMA CPT Professional, section guidelines",
        tags=("coding", "cpt"),
    ),
    Topic(
        "modifiers", "5B", "billing",
        ("Which modifier should {ss} add to show {x}?", "{sf} must show {x}. Which modifier is it?"),
        ("Which modifier shows {x}?",),
        (("a separately identifiable E/M service on the day of a procedure", "-25"),
         ("a distinct procedural service", "-59"), ("a bilateral procedure", "-50"),
         ("the professional component only", "-26"), ("the technical component only", "TC"),
         ("a procedure on the right side", "RT"), ("a procedure on the left side", "LT"),
         ("a reduced service", "-52"), ("a repeat procedure by the same physician", "-76")),
        "AMA CPT Professional, appendix A",
        tags=("coding", "modifiers"),
    ),
    Topic(
        "cms-1500", "5C", "billing",
        ("In which item of the CMS-1500 does {ss} enter the {x}?", "Where on the CMS-1500 should {sf} report the {x}?"),
        ("In which item of the CMS-1500 is the {x} entered?",),
        (("patient's name", "Item 2"), ("patient's birth date and sex", "Item 3"),
         ("insured's ID number", "Item 1a"), ("insured's policy group number", "Item 11"),
         ("patient's signature authorizing release of information", "Item 12"),
         ("name of the referring provider", "Item 17"), ("ICD-10-CM diagnosis codes", "Item 21"),
         ("dates of service", "Item 24A"), ("procedure codes and modifiers", "Item 24D"),
         ("diagnosis pointer", "Item 24E"), ("charge for each service line", "Item 24F"),
         ("rendering provider's NPI", "Item 24J"), ("federal tax ID number", "Item 25"),
         ("total charge", "Item 28"), ("service facility location", "Item 32"),
         ("billing provider's name, address and phone", "Item 33")),
        "Medicare Claims Processing Manual, chapter 26",
        tags=("cms-1500", "claims"),
    ),
    Topic(
        "ub-04", "5C", "billing",
        ("In which form locator of the UB-04 does {ss} enter the {x}?", "Which UB-04 form locator should {sf} use for the {x}?"),
        ("Which UB-04 form locator holds the {x}?",),
        (("type of bill", "FL 4"), ("statement covers period", "FL 6"), ("patient's name", "FL 8"),
         ("patient's birth date", "FL 10"), ("admission date", "FL 12"),
         ("priority of the admission", "FL 14"), ("point of origin for the admission", "FL 15"),
         ("patient discharge status", "FL 17"), ("condition codes", "FL 18"), ("revenue codes", "FL 42"),
         ("HCPCS codes and rates", "FL 44"), ("service units", "FL 46"), ("total charges", "FL 47"),
         ("payer name", "FL 50"), ("billing provider's NPI", "FL 56"),
         ("principal diagnosis code", "FL 67"), ("principal procedure code", "FL 74"),
         ("attending provider", "FL 76")),
        "Medicare Claims Processing Manual, chapter 25",
        tags=("ub-04", "claims"),
    ),
    Topic(
        "claim-terms", "5C", "billing",
        ("Which term describes {x}?", "{sf} is explaining {x} to a coworker. What is it called?"),
        ("Which billing term describes {x}?",),
        (("a claim with no errors that the payer can process at once", "clean claim"),
         ("a claim returned because it failed edits before processing", "rejected claim"),
         ("a claim processed but not paid", "denied claim"),
         ("a company that checks claims and forwards them to payers", "clearinghouse"),
         ("billing a higher-level code than the record supports", "upcoding"),
         ("billing the parts of a bundled service separately", "unbundling")),
        "Insurance handbook for the medical office, claims chapter",
        tags=("claims",),
    ),
    Topic(
        "accounting-terms", "6A", "finance",
        ("Which term describes {x}?", "In the report {sf} is preparing, what is {x} called?"),
        ("Which accounting term describes {x}?",),
        (("money owed to the practice by patients and payers", "accounts receivable"),
         ("money the practice owes to suppliers", "accounts payable"),
         ("the daily record of charges, payments and adjustments", "day sheet"),
         ("a summary that checks that debits equal credits", "trial balance"),
         ("assets minus liabilities", "owner's equity"),
         ("a system that records income when it is received", "cash basis"),
         ("a system that records income when it is earned", "accrual basis"),
         ("a record of each patient's charges and payments", "patient ledger")),
        "Bookkeeping for the medical office, chapter 2",
        tags=("bookkeeping",),
    ),
    Topic(
        "collections", "6B", "finance",
        ("Which term or law applies to {x}?", "{sf} is handling {x}. Which term or law applies?"),
        ("Which term or law applies to {x}?",),
        (("the hours when a collector may call a debtor", "Fair Debt Collection Practices Act"),
         ("disclosing finance charges on a plan of more than four payments", "Truth in Lending Act"),
         ("an account with more paid than owed", "credit balance"),
         ("writing off part of a charge under a payer contract", "contractual adjustment"),
         ("a statement of all charges and payments sent to a patient", "itemized statement")),
        "Bookkeeping for the medical office, collections chapter",
        tags=("patient-accounts",),
    ),
    Topic(
        "banking-terms", "6C", "finance",
        ("Which banking term describes {x}?", "{sf} comes across {x}. What is it called?"),
        ("Which banking term describes {x}?",),
        (("an endorsement that reads 'For deposit only'", "restrictive endorsement"),
         ("an endorsement that is a signature alone", "blank endorsement"),
         ("a check the bank guarantees from the writer's account", "certified check"),
         ("a check drawn on the bank's own funds", "cashier's check"),
         ("a check returned for lack of funds", "NSF check"),
         ("a deposit recorded in the checkbook but not yet on the statement", "deposit in transit"),
         ("a check written but not yet cleared", "outstanding check"),
         ("a small cash fund for minor expenses", "petty cash")),
        "Bookkeeping for the medical office, banking chapter",
        tags=("banking",),
    ),
    Topic(
        "payroll-forms", "6D", "finance",
        ("Which payroll form or term is {x}?", "For the payroll {sf} is running, which form or term is {x}?"),
        ("Which payroll form or term is {x}?",),
        (("what a new employee completes for federal income tax withholding", "Form W-4"),
         ("what the employer gives each employee showing a year's wages", "Form W-2"),
         ("what verifies identity and eligibility to work", "Form I-9"),
         ("what reports federal payroll taxes each quarter", "Form 941"),
         ("the unemployment tax paid only by the employer", "FUTA"),
         ("the taxes for Social Security and Medicare", "FICA"),
         ("an employee not entitled to overtime under the FLSA", "exempt employee")),
        "IRS Publication 15 (Circular E)",
        tags=("payroll",),
    ),
    Topic(
        "computing", "7A", "computing",
        ("Which term describes {x}?", "{sf} is explaining {x} to the staff. What is it called?"),
        ("Which computing term describes {x}?",),
        (("memory that loses its contents when the power is off", "RAM"),
         ("a backup that copies all files every time", "full backup"),
         ("a backup that copies only files changed since the last backup", "incremental backup"),
         ("a device that blocks unauthorized network traffic", "firewall"),
         ("software that runs the computer's basic functions", "operating system"),
         ("storage reached over the internet", "cloud storage"),
         ("a program that finds and removes malicious software", "antivirus software")),
        "Computer concepts for the medical office, chapter 1",
        tags=("computing",),
    ),
    Topic(
        "security-safeguards", "7B", "computing",
        ("Under the HIPAA Security Rule, which type of safeguard is {x}?",
         "{sf} is listing safeguards. Which type is {x}?"),
        ("Under the HIPAA Security Rule, which type of safeguard is {x}?",),
        (("a risk analysis", "administrative safeguard"),
         ("security awareness training", "administrative safeguard"),
         ("a contingency plan for emergencies", "administrative safeguard"),
         ("sanctions against staff who break policy", "administrative safeguard"),
         ("locks on the server room", "physical safeguard"),
         ("turning screens away from the public", "physical safeguard"),
         ("wiping old hard drives before disposal", "physical safeguard"),
         ("badges for entering the building", "physical safeguard"),
         ("a unique user ID for each employee", "technical safeguard"),
         ("automatic logoff", "technical safeguard"), ("encryption of stored data", "technical safeguard"),
         ("audit logs of who opened records", "technical safeguard")),
        "45 CFR 164.308-164.312",
        extra=("organizational requirement",),
        tags=("hipaa", "security"),
    ),
    Topic(
        "security-threats", "7B", "computing",
        ("Which term describes {x}?", "{sf} warns the staff about {x}. What is it called?"),
        ("Which security term describes {x}?",),
        (("an e-mail that tricks a user into giving a password", "phishing"),
         ("malware that locks files until a payment is made", "ransomware"),
         ("following an employee through a locked door", "tailgating"),
         ("using two ways to prove identity", "two-factor authentication"),
         ("tricking staff by telephone into revealing information", "social engineering")),
        "HHS Security Rule guidance, security awareness",
        tags=("security",),
    ),
    Topic(
        "office-documents", "8A", "office",
        ("Which document is {x}?", "{sf} needs {x}. Which document is it?"),
        ("Which document is {x}?",),
        (("the written record of what happened at a meeting", "minutes"),
         ("the list of topics for a meeting", "agenda"), ("a short internal written message", "memo"),
         ("the statement of the rules the office follows", "policy manual"),
         ("the step-by-step instructions for office tasks", "procedure manual"),
         ("a chart that shows who reports to whom", "organizational chart")),
        "Medical office management text, communication chapter",
        tags=("office-communication",),
    ),
    Topic(
        "business-forms", "8B", "office",
        ("Which form of business is {x}?", "{sf} is describing {x}. Which form of business is it?"),
        ("Which form of business is {x}?",),
        (("a practice owned by one physician who is personally liable", "sole proprietorship"),
         ("two or more physicians who share ownership and liability", "partnership"),
         ("a legal entity that shields its owners from personal liability", "corporation"),
         ("an entity that combines limited liability with flexible taxation", "limited liability company")),
        "Medical office management text, business organization chapter",
        extra=("cooperative", "franchise"),
        tags=("business",),
    ),
    Topic(
        "human-resources", "8C", "office",
        ("Which term or law covers {x}?", "{sf} is handling {x}. Which term or law covers it?"),
        ("Which term or law covers {x}?",),
        (("a written list of a position's duties and requirements", "job description"),
         ("up to 12 weeks of unpaid, job-protected leave", "Family and Medical Leave Act"),
         ("reasonable accommodation for qualified employees with disabilities", "Americans with Disabilities Act"),
         ("job discrimination based on race, color, religion, sex or national origin", "Title VII of the Civil Rights Act"),
         ("a meeting with an employee who is leaving", "exit interview"),
         ("a first period of work during which performance is watched closely", "probationary period")),
        "Medical office management text, human resources chapter",
        tags=("human-resources",),
    ),
    Topic(
        "osha-safety", "8D", "office",
        ("Under OSHA rules, what is {x}?", "{sf} is reviewing OSHA rules. What is {x}?"),
        ("Under OSHA rules, what is {x}?",),
        (("the document that gives a chemical's hazards and handling", "a Safety Data Sheet"),
         ("the plan that protects staff from bloodborne pathogens", "an exposure control plan"),
         ("the vaccine employers must offer at no cost to exposed employees", "the hepatitis B vaccine"),
         ("the first step after a needlestick", "washing the area with soap and water"),
         ("the order of actions in a fire", "RACE"), ("the steps for using a fire extinguisher", "PASS"),
         ("the class of fire involving electrical equipment", "Class C"),
         ("the class of fire involving paper and wood", "Class A"),
         ("the class of fire involving flammable liquids", "Class B")),
        "29 CFR 1910.1030 and 1910.1200",
        tags=("osha", "safety"),
    ),
    Topic(
        "supplies", "8E", "office",
        ("Which term describes {x}?", "{sf} is ordering supplies. What is {x} called?"),
        ("Which inventory term describes {x}?",),
        (("the stock level at which an item should be reordered", "reorder point"),
         ("a document sent to a supplier to order goods", "purchase order"),
         ("the list of items in a shipment", "packing slip"), ("the supplier's bill for goods", "invoice"),
         ("using older stock before newer stock", "first in, first out"),
         ("a record of when equipment was serviced", "maintenance log"),
         ("an agreement for regular service of equipment", "service contract")),
        "Medical office management text, supplies chapter",
        tags=("supplies",),
    ),
    Topic(
        "facility", "8F", "office",
        ("Under the ADA standards, what is {x}?", "{sf} is planning a renovation. What is {x} under the ADA standards?"),
        ("Under the ADA standards, what is {x}?",),
        (("the steepest slope allowed for a wheelchair ramp", "1 inch of rise per 12 inches"),
         ("the smallest clear width of a doorway", "32 inches"),
         ("the highest mounting height of a reachable control", "48 inches"),
         ("the clear floor space needed for a wheelchair", "30 by 48 inches")),
        "2010 ADA Standards for Accessible Design",
        extra=("1 inch of rise per 8 inches", "28 inches", "54 inches", "24 by 36 inches"),
        tags=("facility", "ada"),
    ),
    Topic(
        "risk-management", "8G", "office",
        ("Which term describes {x}?", "{sf} is reviewing {x}. What is it called?"),
        ("Which risk management term describes {x}?",),
        (("a form that documents an unexpected event such as a fall", "incident report"),
         ("a study that looks for the underlying causes of an error", "root cause analysis"),
         ("an unexpected event that causes death or serious harm", "sentinel event"),
         ("an ongoing program to improve care", "quality improvement"),
         ("a tool that collects patients' views of their care", "patient satisfaction survey")),
        "Medical office management text, risk management chapter",
        tags=("risk-management",),
    ),
)


@dataclass(frozen=True)
class NumericTopic:
    """A calculation: a sentence with numbers, a lead-in, and a function of the numbers that gives
    the key and the distractors (common mistakes)."""

    name: str
    sub: str
    scene: str
    sentences: tuple[str, ...]
    leads: tuple[str, ...]
    reference: str
    tags: tuple[str, ...]


NUMERIC_TOPICS: tuple[NumericTopic, ...] = (
    NumericTopic(
        "overtime-gross", "6D", "finance",
        ("{p}, a non-exempt {job} paid ${rate} an hour, works {hours} hours in one workweek.",
         "{p} is a non-exempt {job} who earns ${rate} an hour and worked {hours} hours last week.",
         "Last week {p}, an hourly {job}, worked {hours} hours at a regular rate of ${rate}."),
        ("Under the Fair Labor Standards Act, what is {pp} gross pay for that week?",
         "What gross pay does {p} earn for the week under the FLSA?"),
        "29 CFR 778.107 (FLSA overtime)",
        ("payroll", "flsa"),
    ),
    NumericTopic(
        "overtime-pay", "6D", "finance",
        ("{p}, a non-exempt {job}, earns ${rate} an hour and works {hours} hours this workweek.",
         "The time cards show that {p}, an hourly {job} paid ${rate}, worked {hours} hours this week."),
        ("How much overtime pay does {p} earn for the week?",
         "Under the FLSA, what overtime pay is {p} owed for the week?"),
        "29 CFR 778.107 (FLSA overtime)",
        ("payroll", "flsa"),
    ),
    NumericTopic(
        "petty-cash", "6C", "finance",
        ("The petty cash fund is kept at ${fund}; at the end of the month it holds ${cash} and receipts for the rest.",
         "The practice keeps ${fund} in petty cash, and the box now holds ${cash} with a stack of receipts."),
        ("How much must be added to bring the fund back to its set amount?",
         "What amount should {s} request to replenish the fund?"),
        "Bookkeeping for the medical office, petty cash",
        ("banking", "petty-cash"),
    ),
    NumericTopic(
        "account-balance", "6B", "finance",
        ("{p}'s account shows a previous balance of ${prev}; today's visit adds ${charge}, the insurer pays ${ins} and {ps} pays ${paid}.",
         "A ledger card for {p} starts at ${prev}, then shows a charge of ${charge}, an insurance payment of ${ins} and a patient payment of ${paid}."),
        ("What is the new balance on the account?", "What balance should {s} show on the next statement?"),
        "Bookkeeping for the medical office, patient ledgers",
        ("patient-accounts",),
    ),
    NumericTopic(
        "aging", "6B", "finance",
        ("The oldest unpaid charge on {p}'s account is {days} days old.",
         "{p} has an unpaid charge from a visit {days} days ago."),
        ("In which column of the aging report does the charge appear?",
         "Where does {s} list this charge on the aging report?"),
        "Bookkeeping for the medical office, accounts receivable aging",
        ("patient-accounts", "aging"),
    ),
)

AGING_BUCKETS = ("0 to 30 days", "31 to 60 days", "61 to 90 days", "91 to 120 days", "over 120 days")

SYNONYMS: dict[str, str] = {
    "patient": "client", "physician": "doctor", "practice": "clinic", "asks": "requests",
    "calls": "phones", "chart": "record", "wants": "would like", "needs": "requires",
    "busy": "hectic", "reviewing": "checking", "notices": "sees", "preparing": "getting ready",
    "office": "suite", "staff": "team", "coworker": "colleague", "new": "recently hired",
    "arrives": "shows up", "quiet": "slow", "small": "little", "large": "big", "first": "initial",
    "use": "choose", "enter": "record", "working": "busy", "handles": "manages", "books": "records",
    "request": "demand", "section": "part", "document": "record", "describes": "names",
    "comes": "walks", "morning": "forenoon", "afternoon": "late day", "visit": "appointment",
    "examination": "exam", "following": "next", "reports": "describes", "several": "a few",
    "should": "ought to", "explain": "describe", "running": "processing", "keeps": "maintains",
}
"""Word swaps for the "swapped words" near duplicates: a few words of a stem replaced."""

REVIEWERS = ("Priya Natarajan", "Morgan Ellery", "Jonas Whitcombe", "Adaeze Okonkwo", "Luis Barragan",
             "Helena Strand", "Kwame Asante", "Rebecca Lindahl")
AUTHORS = ("Synthetic Writer A", "Synthetic Writer B", "Synthetic Writer C", "Synthetic Writer D",
           "Synthetic Writer E", "Synthetic Writer F")
