"""The clean items of the lint corpus (tests/fixtures/lint-corpus/), written for it.

Each entry: sub-area, cognitive level, difficulty, stem, the four options A-D, the key, a short
rationale in the writer's own words, and references with a locator. `make_lint_corpus.py`
writes them out, and writes each flawed case as one of these items with one flaw written in.
"""

from __future__ import annotations

CLEAN: list[tuple[str, str, str, str, list[str], str, str, list[str]]] = [
    # --- 1: foundations ---------------------------------------------------------------------
    (
        "1A",
        "recall",
        "easy",
        "Which suffix in a surgical term means surgical removal of the organ named by the root?",
        ["-otomy", "-ectomy", "-plasty", "-scopy"],
        "B",
        "Removal is -ectomy; -otomy is a cut into the organ, -plasty a repair and -scopy a look inside.",
        ["Chabner, The Language of Medicine, 12th ed., ch. 1 (suffixes)"],
    ),
    (
        "1A",
        "application",
        "medium",
        (
            "A referral letter says the patient has inflammation of the liver. Which term will the specialist "
            "enter when she codes the visit?"
        ),
        ["Hepatitis", "Hepatoma", "Hepatomegaly", "Hepatalgia"],
        "A",
        (
            "The suffix -itis marks inflammation, so inflamed liver tissue is hepatitis; the other terms name a "
            "tumor, an enlarged liver and liver pain."
        ),
        ["Chabner, The Language of Medicine, 12th ed., ch. 5 (digestive system)"],
    ),
    (
        "1B",
        "recall",
        "easy",
        "Which body plane divides the body into front and back portions?",
        ["Sagittal plane", "Transverse plane", "Frontal plane", "Midsagittal plane"],
        "C",
        (
            "The frontal (coronal) plane runs side to side and separates anterior from posterior; the sagittal "
            "planes separate left from right and the transverse plane upper from lower."
        ),
        ["OpenStax, Anatomy and Physiology 2e, sec. 1.6 (anatomical terminology)"],
    ),
    (
        "1C",
        "application",
        "medium",
        (
            "A patient rolls up her sleeve and holds out her arm when the medical assistant says it is time "
            "for her flu shot. What kind of consent has she given?"
        ),
        ["Implied consent", "Express written consent", "Proxy consent", "Emergency consent"],
        "A",
        "She agreed by her conduct rather than in words or in writing, which is implied consent.",
        ["Fremgen, Medical Law and Ethics, 6th ed., ch. 7 (consent)"],
    ),
    (
        "1C",
        "application",
        "hard",
        (
            "A medical assistant tells a friend at dinner that a neighbor was seen at the clinic for depression. "
            "Which wrong has the assistant most clearly committed?"
        ),
        ["Assault", "Invasion of privacy", "Libel", "Abandonment"],
        "B",
        (
            "Telling an outsider about a patient's care publicizes private facts, which is an invasion of privacy; "
            "nothing was threatened, written or left untreated."
        ),
        ["Fremgen, Medical Law and Ethics, 6th ed., ch. 6 (intentional torts)"],
    ),
    (
        "1C",
        "recall",
        "medium",
        (
            "Under the HIPAA Privacy Rule, within how many days must a covered entity act on a patient's request "
            "for access to her records when it takes no extension?"
        ),
        ["10 days", "30 days", "45 days", "60 days"],
        "B",
        "The rule gives 30 days from the request, with one 30-day extension if the patient is told in writing.",
        ["45 CFR 164.524(b)(2)"],
    ),
    (
        "1D",
        "application",
        "easy",
        (
            "A patient at the front desk is upset that her test results are late and raises her voice. What "
            "should the specialist do first?"
        ),
        [
            "Ask her to wait outside the office",
            "Listen and acknowledge her concern",
            "Call the office manager to the desk",
            "Read her the policy on test results",
        ],
        "B",
        "Hearing her out and naming her concern lowers the tension before any solution is offered.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 3 (therapeutic communication)"],
    ),
    (
        "1D",
        "recall",
        "easy",
        "Which document states the standards of conduct that members of a professional association agree to follow?",
        ["Code of ethics", "Scope of practice", "Job description", "Bylaws"],
        "A",
        (
            "A code of ethics sets the conduct members promise; scope of practice is set by law, a job description "
            "by the employer, and bylaws govern how the association runs."
        ),
        ["AMT Standards of Practice (2024), preamble"],
    ),
    # --- 2: clinical concepts -------------------------------------------------------------------
    (
        "2A",
        "recall",
        "easy",
        "Which part of the health history records the patient's reason for the visit in the patient's own words?",
        ["Chief complaint", "Review of systems", "Family history", "Social history"],
        "A",
        "The chief complaint is the reason for the encounter, usually quoted as the patient says it.",
        ["CMS 1997 Documentation Guidelines for E/M Services, p. 7 (chief complaint)"],
    ),
    (
        "2B",
        "application",
        "medium",
        "A medical assistant charts a note in the wrong patient's record. How should the error be corrected?",
        [
            "Black out the note and write the new one over it",
            "Delete the note and enter it in the right record",
            "Strike one line through it, then date and initial",
            "Tear out the page and rewrite it on a new page",
        ],
        "C",
        (
            "A single line keeps the first entry readable while the date and initials show who corrected it and "
            "when; erasing or removing it looks like altering the record."
        ),
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 12 (correcting the record)"],
    ),
    (
        "2C",
        "recall",
        "easy",
        "What is the normal resting pulse rate range for an adult?",
        [
            "40 to 60 beats per minute",
            "60 to 100 beats per minute",
            "100 to 120 beats per minute",
            "120 to 140 beats per minute",
        ],
        "B",
        (
            "An adult's resting heart rate is normally 60 to 100 beats a minute; below is bradycardia, above is "
            "tachycardia."
        ),
        ["MedlinePlus, Pulse (medical encyclopedia article 003399)"],
    ),
    (
        "2C",
        "application",
        "medium",
        (
            "A patient weighs 68 kg. About how many pounds should the specialist enter in a form that asks for "
            "weight in pounds?"
        ),
        ["31 pounds", "68 pounds", "136 pounds", "150 pounds"],
        "D",
        "One kilogram is about 2.2 pounds, and 68 times 2.2 is about 150.",
        ["NIST Special Publication 811 (2008), appendix B.8"],
    ),
    (
        "2D",
        "recall",
        "medium",
        "Which process destroys every form of microbial life, including spores?",
        ["Sanitization", "Disinfection", "Sterilization", "Antisepsis"],
        "C",
        (
            "Sterilization kills spores as well; disinfection leaves spores, sanitization only lowers counts and "
            "antisepsis treats skin."
        ),
        ["CDC/HICPAC, Guideline for Disinfection and Sterilization in Healthcare Facilities (2008), introduction"],
    ),
    (
        "2D",
        "application",
        "medium",
        (
            "A medical assistant cleans up a small blood spill on the exam-room counter. What must she put on "
            "before she starts?"
        ),
        ["A surgical mask", "Disposable gloves", "A lab coat", "Shoe covers"],
        "B",
        (
            "Gloves protect the hands that touch the blood; the standard calls for them whenever contact with "
            "blood can be expected."
        ),
        ["29 CFR 1910.1030(d)(3)(ix)"],
    ),
    (
        "2E",
        "application",
        "easy",
        "A patient is coming in for a pelvic examination. In which position will she most likely be placed?",
        ["Prone", "Lithotomy", "Fowler's", "Trendelenburg"],
        "B",
        (
            "Lying on the back with feet in the stirrups gives access for the pelvic exam; the other positions serve "
            "the back, breathing and shock."
        ),
        ["Kinn's The Clinical Medical Assistant, 15th ed., ch. 36 (positioning)"],
    ),
    (
        "2F",
        "application",
        "hard",
        (
            "A patient in the waiting room suddenly cannot speak and clutches his throat after eating a snack. "
            "What should the trained staff member do first?"
        ),
        ["Give abdominal thrusts", "Offer a glass of water", "Start chest compressions", "Lay him on his side"],
        "A",
        (
            "These are the signs of a severe airway obstruction in a conscious adult, which calls for abdominal "
            "thrusts until the object comes out."
        ),
        ["American Red Cross, First Aid/CPR/AED Participant's Manual (2021), ch. 4 (choking)"],
    ),
    (
        "2G",
        "recall",
        "medium",
        "Which route of administration places a drug under the tongue to dissolve?",
        ["Buccal", "Sublingual", "Transdermal", "Intradermal"],
        "B",
        (
            "Sublingual means under the tongue; buccal is between cheek and gum, transdermal through the skin by "
            "patch and intradermal just under the skin's surface by needle."
        ),
        ["Kinn's The Clinical Medical Assistant, 15th ed., ch. 30 (routes of administration)"],
    ),
    (
        "2G",
        "recall",
        "hard",
        (
            "Under the Controlled Substances Act, which schedule holds drugs with a high potential for abuse that "
            "also have an accepted medical use?"
        ),
        ["Schedule I", "Schedule II", "Schedule IV", "Schedule V"],
        "B",
        (
            "Schedule II drugs carry high abuse potential but an accepted use; Schedule I has no accepted use and "
            "IV and V have lower abuse potential."
        ),
        ["21 U.S.C. 812(b)(2)"],
    ),
    # --- 3: clerical -----------------------------------------------------------------------------
    (
        "3A",
        "application",
        "medium",
        (
            "A clinic books two patients at 9:00, two at 9:30 and two at 10:00, and sees them in the order they "
            "arrive. Which scheduling method is it using?"
        ),
        ["Wave scheduling", "Open hours", "Stream scheduling", "Cluster scheduling"],
        "A",
        "Several patients booked at the start of each half hour and seen as they arrive is the wave method.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 9 (scheduling methods)"],
    ),
    (
        "3A",
        "application",
        "medium",
        "A patient misses her appointment without calling. What should the front desk do first?",
        [
            "Document the no-show in her record",
            "Discharge her from the practice",
            "Bill her insurer for the visit",
            "Remove her from the schedule for a year",
        ],
        "A",
        (
            "Recording the missed visit protects the practice and starts any follow-up; the other steps are "
            "improper or premature."
        ),
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 9 (failed appointments)"],
    ),
    (
        "3B",
        "application",
        "easy",
        "A new patient arrives for her first visit. Which document should she be given at check-in under HIPAA?",
        [
            "An advance directive form",
            "The Notice of Privacy Practices",
            "A release of records form",
            "A financial hardship form",
        ],
        "B",
        "A provider gives the notice on the first service date and asks for a written acknowledgment.",
        ["45 CFR 164.520(c)(2)(i)"],
    ),
    (
        "3B",
        "application",
        "medium",
        "A patient who uses a wheelchair arrives and the waiting room is full. Where should the receptionist seat her?",
        [
            "In the hallway beside the exam rooms",
            "In an open space with a clear path",
            "Behind the reception counter",
            "In the break room until a room opens",
        ],
        "B",
        "An open spot that keeps the way clear lets her wait with everyone else without blocking an exit.",
        ["ADA Standards for Accessible Design (2010), 802.1"],
    ),
    (
        "3C",
        "application",
        "medium",
        (
            "A patient who reads little English is being taught how to use a new inhaler. Which method best confirms "
            "he understood?"
        ),
        [
            "Having him show how he will use it",
            "Asking whether he has any questions",
            "Giving him a printed leaflet",
            "Speaking more slowly and loudly",
        ],
        "A",
        "Watching him do it shows what he took in; a yes to a question or a leaflet he cannot read shows nothing.",
        ["AHRQ Health Literacy Universal Precautions Toolkit, 3rd ed., Tool 5"],
    ),
    (
        "3C",
        "recall",
        "easy",
        "Which type of listening involves restating what the speaker said to check understanding?",
        ["Passive listening", "Selective listening", "Reflective listening", "Casual listening"],
        "C",
        "Reflecting the message back lets the speaker confirm or correct it.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 3 (active listening)"],
    ),
    (
        "3D",
        "application",
        "medium",
        (
            "A pregnant patient says she cannot afford healthy food. Which federal program should the specialist "
            "tell her about?"
        ),
        ["Meals on Wheels", "WIC", "Medicare Part D", "LIHEAP"],
        "B",
        (
            "WIC gives food, nutrition education and referrals to low-income pregnant women; the others serve "
            "homebound elders, drug costs and energy bills."
        ),
        ["7 CFR 246.1", "7 CFR 246.7(c)"],
    ),
    (
        "3D",
        "application",
        "easy",
        (
            "A caregiver asks where she can get help as she cares for her father, who has Alzheimer disease. "
            "Which resource fits her need?"
        ),
        ["A dementia support group", "The American Red Cross", "The Social Security office", "A poison control center"],
        "A",
        (
            "Groups run for families living with dementia offer practical help and company; the others do not "
            "serve this need."
        ),
        ["Alzheimer's Association, Caregiver Center (alz.org/help-support/caregiving), Support groups"],
    ),
    # --- 4: records --------------------------------------------------------------------------------
    (
        "4A",
        "application",
        "medium",
        (
            "A clinic files paper charts by the last two digits of the record number, then the middle two, then "
            "the first two. Which filing system is it using?"
        ),
        ["Straight numeric", "Terminal digit", "Alphabetic", "Subject filing"],
        "B",
        "Reading the number from its end spreads charts evenly over the shelves; that is terminal-digit filing.",
        ["Green and Bowie, Essentials of Health Information Management, 4th ed., ch. 7"],
    ),
    (
        "4A",
        "recall",
        "medium",
        "Which term names a health record that keeps some information on paper and some in electronic form?",
        ["Hybrid record", "Legal health record", "Personal health record", "Designated record set"],
        "A",
        "A record split between paper and electronic media is called hybrid.",
        ["AHIMA, Fundamentals of the Legal Health Record and Designated Record Set (2011), sec. 2"],
    ),
    (
        "4B",
        "application",
        "easy",
        "A physician takes a paper chart from the file room. What should the clerk put in its place?",
        ["A sticky note", "An out guide", "A copy of the chart", "A blank folder"],
        "B",
        "The placeholder records who has the chart and when it left, so it can be found and returned.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 11 (filing procedures)"],
    ),
    (
        "4B",
        "application",
        "hard",
        "A clerk is filing four new charts for patients named Lee. Using indexing rules, which name is filed first?",
        ["Lee, Dana R.", "Lee, D.", "Lee, Daniel J.", "Lee, Dana"],
        "B",
        "Units are compared in order and nothing comes before something, so the bare initial D files first.",
        ["ARMA International, Guideline for Alphabetic Filing (2017), rule 1"],
    ),
    (
        "4C",
        "application",
        "medium",
        (
            "An attorney asks for a patient's records for a lawsuit the patient has filed. What must the office "
            "have before it sends them?"
        ),
        [
            "The attorney's business card",
            "A valid signed authorization",
            "The physician's verbal approval",
            "A fee paid in advance",
        ],
        "B",
        (
            "Disclosing records for a lawsuit is not treatment, payment or operations, so the patient's written "
            "authorization is needed."
        ),
        ["45 CFR 164.508(a)(1)"],
    ),
    (
        "4C",
        "application",
        "medium",
        "A patient asks for copies of her records to be mailed to her. Which cost may the practice include in its fee?",
        ["Searching for the records", "Postage", "Storing the records", "Retrieving the records"],
        "B",
        (
            "A reasonable cost-based fee may cover labor for copying, supplies and postage when mailing is asked "
            "for, but not search or retrieval."
        ),
        ["45 CFR 164.524(c)(4)"],
    ),
    (
        "4C",
        "recall",
        "medium",
        "Under HIPAA, which standard limits a disclosure for payment to what is needed for its purpose?",
        ["Minimum necessary", "Accounting of disclosures", "Right of access", "Breach notification"],
        "A",
        "The covered entity shares no more than the purpose needs; this does not apply to disclosures for treatment.",
        ["45 CFR 164.502(b)"],
    ),
    # --- 5: insurance and coding -------------------------------------------------------------------
    (
        "5A",
        "application",
        "medium",
        (
            "A patient's plan requires a referral from her primary care physician to see a specialist and pays "
            "less for care outside the network. Which kind of plan does she have?"
        ),
        ["PPO", "EPO", "POS", "HDHP"],
        "C",
        (
            "A point-of-service plan asks for a referral from the primary physician yet still pays something out of "
            "network."
        ),
        ["HealthCare.gov Glossary, Point of Service Plan (POS)"],
    ),
    (
        "5A",
        "application",
        "hard",
        (
            "A patient is covered by her own employer's plan and, as a dependent, by her husband's plan. Which "
            "plan pays first?"
        ),
        [
            "Her husband's plan",
            "Her own employer's plan",
            "The plan with the lower deductible",
            "The older of the two plans",
        ],
        "B",
        "A plan that covers her as an employee is primary over one that covers her as a dependent.",
        ["NAIC Coordination of Benefits Model Regulation (MDL-120), sec. 6"],
    ),
    (
        "5A",
        "application",
        "medium",
        (
            "A Medicare patient needs a test that Medicare will likely deny as not medically necessary. Which form "
            "should she sign before the test?"
        ),
        ["Form CMS-1500", "Advance Beneficiary Notice", "Form UB-04", "Notice of Privacy Practices"],
        "B",
        (
            "The ABN tells her in advance that she may have to pay, which lets the practice bill her if Medicare "
            "denies the test."
        ),
        ["CMS Form CMS-R-131 instructions (2023), sec. A"],
    ),
    (
        "5B",
        "recall",
        "medium",
        "How many characters long is an ICD-10-CM diagnosis code?",
        ["2 to 4", "3 to 7", "5 to 8", "7 to 10"],
        "B",
        "A category has three characters and a complete code up to seven, the first a letter.",
        ["ICD-10-CM Official Guidelines for Coding and Reporting FY2027, sec. I.A.1"],
    ),
    (
        "5B",
        "recall",
        "medium",
        "Which code set is used to report supplies, durable medical equipment and ambulance services to Medicare?",
        ["CPT Category I", "HCPCS Level II", "ICD-10-PCS", "CPT Category III"],
        "B",
        (
            "Items and services that CPT does not cover, such as supplies and equipment, are reported with the "
            "alphanumeric national codes."
        ),
        ["Medicare Claims Processing Manual, Pub. 100-04, ch. 23, sec. 20.7"],
    ),
    (
        "5B",
        "application",
        "hard",
        (
            "A coder must report a service for which no CPT Category I code exists yet, and a temporary code "
            "ending in T describes it. Which category is that code from?"
        ),
        ["Category I", "Category II", "Category III", "HCPCS Level II"],
        "C",
        "Temporary codes for emerging technology carry four digits and a T; Category II codes end in F.",
        ["AMA CPT 2027 Professional Edition, Category III codes introduction"],
    ),
    (
        "5C",
        "application",
        "hard",
        (
            "A patient's deductible of $150 is unmet, and her plan pays 80% after it. The allowed amount for a "
            "visit is $400. How much does the plan pay?"
        ),
        ["$150.00", "$200.00", "$250.00", "$320.00"],
        "B",
        "She pays the $150 deductible first; the plan pays 80% of the remaining $250, which is $200.",
        ["HealthCare.gov Glossary, Coinsurance"],
    ),
    (
        "5C",
        "recall",
        "medium",
        "Within what time after the date of service must a Medicare claim be filed?",
        ["90 days", "6 months", "1 year", "2 years"],
        "C",
        "Medicare's deadline is one calendar year from the date of service.",
        ["42 CFR 424.44(a)(1)"],
    ),
    (
        "5C",
        "recall",
        "medium",
        "On Form CMS-1500, in which item does the biller enter the patient's diagnosis codes?",
        ["Item 17", "Item 21", "Item 24", "Item 33"],
        "B",
        (
            "Diagnoses go in item 21; item 17 names the referring provider, 24 holds the service lines and 33 the "
            "billing provider."
        ),
        ["Medicare Claims Processing Manual, Pub. 100-04, ch. 26, sec. 10.2"],
    ),
    # --- 6: financial --------------------------------------------------------------------------
    (
        "6A",
        "application",
        "medium",
        (
            "A practice using the accrual method sees a patient in March and is paid in May. In which month does "
            "it record the revenue?"
        ),
        ["February", "March", "April", "May"],
        "B",
        "Accrual accounting records income when it is earned, which is the month of the service.",
        ["IRS Publication 538 (2026), Accrual Method"],
    ),
    (
        "6A",
        "recall",
        "medium",
        "What is the money a practice owes its suppliers for goods bought on credit called?",
        ["Accounts payable", "Unearned revenue", "Owner's equity", "Petty cash"],
        "A",
        "Amounts owed to suppliers are payables; unearned revenue is owed to patients who paid ahead, equity is the owner's stake and petty cash is an asset.",
        ["OpenStax, Principles of Accounting, Volume 1, sec. 2.2"],
    ),
    (
        "6B",
        "application",
        "medium",
        "A patient disputes her balance and asks how it arose. What should the specialist send her?",
        ["An itemized statement", "An aging report", "A day sheet", "A deposit slip"],
        "A",
        (
            "A statement listing each charge, payment and adjustment lets her trace the balance; the others are "
            "internal records."
        ),
        ["Booth, Whicker and Wyman, Medical Assisting, 7th ed., ch. 20"],
    ),
    (
        "6B",
        "application",
        "medium",
        "An aging report shows a patient balance unpaid for 95 days. In which column does it appear?",
        ["0-30 days", "31-60 days", "61-90 days", "Over 90 days"],
        "D",
        "Ninety-five days since billing falls beyond the 61-90 column.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 16 (aging accounts)"],
    ),
    (
        "6C",
        "application",
        "medium",
        (
            "The office endorses a patient's check \"For deposit only\" with the practice's account number. What "
            "kind of endorsement is that?"
        ),
        ["Blank endorsement", "Restrictive endorsement", "Special endorsement", "Qualified endorsement"],
        "B",
        "Limiting the check to deposit into one account restricts what can be done with it.",
        ["UCC 3-206(c)"],
    ),
    (
        "6C",
        "application",
        "hard",
        (
            "The bank statement balance is $4,200, and $600 in deposits have not yet reached the bank. Checks for "
            "$350 are still outstanding. What is the adjusted bank balance?"
        ),
        ["$3,950", "$4,450", "$4,550", "$4,800"],
        "B",
        "Add the deposits in transit and subtract the outstanding checks: 4,200 + 600 - 350 = 4,450.",
        ["OpenStax, Principles of Accounting, Volume 1, sec. 8.5"],
    ),
    (
        "6D",
        "application",
        "hard",
        "A non-exempt employee paid $18.00 an hour works 44 hours in one workweek. What is her gross pay?",
        ["$720.00", "$792.00", "$828.00", "$1,188.00"],
        "C",
        "Forty hours at $18.00 is $720.00 and four hours at time and a half ($27.00) add $108.00.",
        ["29 CFR 778.107"],
    ),
    (
        "6D",
        "recall",
        "easy",
        "Which form does a new employee complete so the employer can withhold the right federal income tax?",
        ["Form W-2", "Form W-4", "Form I-9", "Form 1099-NEC"],
        "B",
        (
            "The W-4 tells the employer how much to withhold; the W-2 reports wages after the year, the I-9 proves "
            "work eligibility and the 1099 is for contractors."
        ),
        ["IRS Publication 15 (2026), sec. 9"],
    ),
    # --- 7: information processing -----------------------------------------------------------------
    (
        "7A",
        "application",
        "medium",
        "The billing office needs one system to schedule visits, post charges and send claims. Which system fits?",
        [
            "Practice management system",
            "Picture archiving system",
            "Laboratory information system",
            "Clinical decision support",
        ],
        "A",
        "Scheduling, charges and claims are the administrative tasks a practice management system runs.",
        ["California HealthCare Foundation, Practice Management Systems primer (2009), p. 2"],
    ),
    (
        "7A",
        "recall",
        "easy",
        "Which device stores data when the computer is switched off?",
        ["RAM", "Solid-state drive", "CPU cache", "Graphics card"],
        "B",
        "Storage keeps data without power; memory and cache lose it when the machine is off.",
        ["Shelly and Vermaat, Discovering Computers 2024, module 7"],
    ),
    (
        "7B",
        "application",
        "medium",
        (
            "A practice wants to know which staff members opened a celebrity patient's record. Which safeguard "
            "answers that?"
        ),
        ["Audit controls", "Data backup", "Facility access controls", "Automatic logoff"],
        "A",
        "Audit logs record who viewed which record and when.",
        ["45 CFR 164.312(b)"],
    ),
    (
        "7B",
        "application",
        "hard",
        (
            "An employee clicks a link in an e-mail that looks like it came from the practice's bank and types "
            "her password. Which attack has she fallen for?"
        ),
        ["Phishing", "Ransomware", "Denial of service", "Brute force"],
        "A",
        "A message that poses as a trusted sender to get credentials is phishing.",
        ["HHS 405(d), Health Industry Cybersecurity Practices (2023), Threat 1"],
    ),
    (
        "7B",
        "recall",
        "medium",
        "Under the HIPAA Security Rule, which kind of safeguard is a locked server room?",
        ["Administrative", "Physical", "Technical", "Organizational"],
        "B",
        "Locks and other controls on the premises and equipment are physical safeguards.",
        ["45 CFR 164.310(a)(1)"],
    ),
    (
        "7A",
        "application",
        "medium",
        (
            "A clinic wants to send claims to many payers through a single connection that checks them for errors "
            "first. What should it use?"
        ),
        ["A clearinghouse", "A patient portal", "A general ledger", "A fax server"],
        "A",
        "A clearinghouse edits claims and forwards them to each payer in the right format.",
        ["Medicare Claims Processing Manual, Pub. 100-04, ch. 24, sec. 10.2"],
    ),
    # --- 8: office management ------------------------------------------------------------------------
    (
        "8A",
        "recall",
        "easy",
        "What is the written list of topics to be covered at a meeting, sent before it, called?",
        ["Minutes", "Agenda", "Memorandum", "Bylaws"],
        "B",
        "An agenda plans the meeting in advance; minutes record it afterwards.",
        ["Robert's Rules of Order Newly Revised, 12th ed., sec. 41"],
    ),
    (
        "8A",
        "application",
        "medium",
        "A manager writes to all staff about a new parking rule. Which part of a letter does the memo leave out?",
        ["The date", "The subject line", "The inside address", "The body"],
        "C",
        "A memo goes inside the organization, so it has no inside address; it keeps date, subject and body.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 8 (memos)"],
    ),
    (
        "8B",
        "application",
        "medium",
        (
            "A clinic uses 20 boxes of gloves a week, delivery takes 2 weeks, and it keeps 20 boxes as safety "
            "stock. At how many boxes should it reorder?"
        ),
        ["20", "40", "60", "80"],
        "C",
        "Use during the delivery time plus the safety stock: 20 times 2 plus 20 is 60.",
        ["Heizer, Render and Munson, Operations Management, 13th ed., ch. 12"],
    ),
    (
        "8C",
        "application",
        "hard",
        "A practice with 40 staff is interviewing for a receptionist. Which question may the interviewer lawfully ask?",
        [
            "Can you perform the duties of this job?",
            "How many sick days did you take last year?",
            "What medications do you take?",
            "Have you ever filed a workers' compensation claim?",
        ],
        "A",
        (
            "Asking about the ability to do the job is allowed before an offer; questions that may reveal a "
            "disability are not."
        ),
        ["29 CFR 1630.13(a)", "29 CFR 1630.14(a)"],
    ),
    (
        "8C",
        "recall",
        "medium",
        "Which form must a new employee complete to show identity and eligibility to work in the United States?",
        ["Form W-4", "Form I-9", "Form W-2", "Form SS-4"],
        "B",
        (
            "The I-9 records the identity and work-authorization documents, and must be done within three "
            "business days of starting."
        ),
        ["8 CFR 274a.2(b)(1)"],
    ),
    (
        "8D",
        "recall",
        "medium",
        (
            "How long must an employer keep the medical records of an employee with occupational exposure to "
            "bloodborne pathogens?"
        ),
        ["Length of employment", "Employment plus 3 years", "Employment plus 10 years", "Employment plus 30 years"],
        "D",
        "Exposure records outlast the job by thirty years because infections can appear much later.",
        ["29 CFR 1910.1030(h)(1)(iv)"],
    ),
    (
        "8D",
        "recall",
        "easy",
        "Where must a used needle be placed right after an injection?",
        ["In a sharps container", "In a red biohazard bag", "In the regular trash", "In a recapped syringe tray"],
        "A",
        "A puncture-resistant, closable, labeled container keeps staff from needlesticks.",
        ["29 CFR 1910.1030(d)(2)(viii)"],
    ),
    (
        "8G",
        "application",
        "medium",
        "A patient slips on a wet floor in the waiting room. Where should the incident report be kept?",
        [
            "In the patient's medical record",
            "In the practice's risk management file",
            "With the patient's claim",
            "On the staff bulletin board",
        ],
        "B",
        "The report is an internal quality record; putting it in the chart can make it part of the record.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 20 (incident reports)"],
    ),
    (
        "8E",
        "application",
        "medium",
        "A box of syringes arrives. What should the specialist check it against before signing for it?",
        ["The purchase order", "The aging report", "The day sheet", "The payroll register"],
        "A",
        "Comparing the shipment with what was ordered catches wrong items and quantities before payment.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 21 (receiving supplies)"],
    ),
    (
        "8F",
        "application",
        "medium",
        (
            "The rear door of a clinic is a required exit. How must it be secured after hours while staff are "
            "still inside?"
        ),
        [
            "With a padlock on the inside",
            "So it opens from inside without a key",
            "With a chain and bolt",
            "With a sign reading Do Not Use",
        ],
        "B",
        "Exit doors must open from the inside without a key or special knowledge while anyone is in the building.",
        ["29 CFR 1910.36(d)(1)"],
    ),
    (
        "8B",
        "application",
        "hard",
        (
            "A clinic tests a new check-in process for two weeks, measures the waiting times, and then decides "
            "whether to keep it. Which quality method is it following?"
        ),
        ["Plan-Do-Study-Act", "Root cause analysis", "Failure mode analysis", "Six Sigma belt training"],
        "A",
        "Trying a change on a small scale, studying the results and then acting on them is the PDSA cycle.",
        ["AHRQ Health Literacy Universal Precautions Toolkit, 3rd ed., Tool 2 (PDSA)"],
    ),
    (
        "5A",
        "recall",
        "easy",
        "Which part of Medicare mainly covers physician services and outpatient care?",
        ["Medicare Part A", "Medicare Part B", "Medicare Part C", "Medicare Part D"],
        "B",
        (
            "Part B is the medical insurance for doctors' services and outpatient care; Part A covers hospital "
            "stays, C is Medicare Advantage and D covers drugs."
        ),
        ["Medicare & You 2027 (CMS Publication 10050), sec. 2"],
    ),
    (
        "4C",
        "recall",
        "hard",
        "Where in the HIPAA Administrative Simplification rules are the breach notification requirements?",
        [
            "45 CFR Part 164, Subpart C",
            "45 CFR Part 164, Subpart D",
            "45 CFR Part 164, Subpart E",
            "45 CFR Part 162, Subpart I",
        ],
        "B",
        (
            "Subpart D holds breach notification; Subpart C is the Security Rule, E the Privacy Rule and Part 162 "
            "the transaction standards."
        ),
        ["45 CFR 164.400"],
    ),
]

# --- issue 15, recall on unseen wording (helper m1): near-misses the generalised rules must leave
# alone. Indices 69 to 78; 72, 73 and 74 are ordered (ORDERED in make_lint_corpus.py).
CLEAN += [
    (
        "1C",
        "application",
        "medium",
        (
            "A 16-year-old comes in alone for a sports physical. Her state lets minors consent to this exam, and "
            "she signs the practice's consent form at check-in. Which consent does the practice now hold?"
        ),
        [
            "Written consent from the patient",
            "Written consent from her parents",
            "Verbal consent from the patient",
            "Verbal consent from her parents",
        ],
        "A",
        (
            "She signed the form herself, so the practice holds written consent from the patient; nothing was "
            "said aloud and her parents took no part, so the other three did not happen."
        ),
        ["Fremgen, Medical Law and Ethics, 6th ed., ch. 7 (consent of minors)"],
    ),
    (
        "1B",
        "recall",
        "easy",
        "Where is the sternum in relation to the spine?",
        ["Anterior", "Posterior", "Superior", "Inferior"],
        "A",
        (
            "The sternum lies in front of the spine, which is anterior; posterior means behind, and superior and "
            "inferior mean above and below."
        ),
        ["OpenStax, Anatomy and Physiology 2e, sec. 1.6 (anatomical terminology)"],
    ),
    (
        "1B",
        "recall",
        "easy",
        "Which chamber of the heart pumps oxygen-rich blood out through the aorta to the body?",
        ["Left ventricle", "Right ventricle", "Mitral valve", "Pulmonary artery"],
        "A",
        (
            "The left ventricle sends oxygenated blood into the aorta; the right ventricle pumps to the lungs, the "
            "mitral valve is a valve, not a chamber, and the pulmonary artery carries blood to the lungs."
        ),
        ["OpenStax, Anatomy and Physiology 2e, sec. 19.1 (heart anatomy)"],
    ),
    (
        "2E",
        "application",
        "medium",
        (
            "A child is prescribed 250 mg of liquid amoxicillin, and the bottle holds 250 mg in every 5 mL. "
            "How much does the medical assistant measure for one dose?"
        ),
        ["1.25 mL", "2.5 mL", "5 mL", "10 mL"],
        "C",
        "The dose equals the strength on the label, so one dose is exactly the 5 mL that holds 250 mg.",
        ["Kinn's The Clinical Medical Assistant, 15th ed., ch. 29 (dosage calculations)"],
    ),
    (
        "6B",
        "application",
        "easy",
        (
            "A patient's balance has gone unpaid for 150 days since the first statement. In which column of the "
            "aging report does it appear?"
        ),
        ["0-30 days", "31-60 days", "61-90 days", "91+ days"],
        "D",
        "A balance 150 days old is past every bounded column, so it sits in the last, open-ended one.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 18 (aging accounts)"],
    ),
    (
        "3B",
        "application",
        "easy",
        (
            "The office opens at 8:00 AM, and the physician's first patient is booked 30 minutes after "
            "opening. At what time is that appointment?"
        ),
        ["8:00 AM", "8:15 AM", "8:30 AM", "9:00 AM"],
        "C",
        "Thirty minutes after an 8:00 opening is 8:30; 8:15 is only fifteen minutes later and 9:00 a full hour.",
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 9 (scheduling methods)"],
    ),
    (
        "3A",
        "application",
        "medium",
        (
            "Ms. Osei, 72, arrives for her first visit and hands the clipboard back blank. What should the front "
            "desk do for a new patient who cannot read the intake forms?"
        ),
        [
            "Read the forms aloud and record her answers",
            "Ask her to take the forms home",
            "Reschedule the visit",
            "Ask a relative in the waiting room to fill them in",
        ],
        "A",
        (
            "Reading the questions aloud in private gets the history without embarrassing her; sending the forms "
            "home or rescheduling does not solve the problem, and a relative in public hears private answers."
        ),
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 3 (patients with special needs)"],
    ),
    (
        "5A",
        "recall",
        "easy",
        "Which parts of Medicare together make up Original Medicare?",
        ["Parts A and B", "Parts A and D", "Parts B and C", "Parts C and D"],
        "A",
        (
            "Original Medicare is Part A, hospital insurance, with Part B, medical insurance; Part C is Medicare "
            "Advantage and Part D covers drugs."
        ),
        ["Medicare & You 2027 (CMS Publication 10050), sec. 1"],
    ),
    (
        "2D",
        "application",
        "medium",
        "A patient refuses the flu shot her physician recommended. What should the medical assistant do?",
        [
            "Record the refusal in her chart",
            "Tell her the shot is required",
            "Give the shot as the physician ordered",
            "Cancel her next visit",
        ],
        "A",
        (
            "A competent adult may refuse, and the refusal is recorded; telling her it is required is false, "
            "giving it anyway is battery, and cancelling her visit punishes her."
        ),
        ["Fremgen, Medical Law and Ethics, 6th ed., ch. 7 (informed refusal)"],
    ),
    (
        "4A",
        "recall",
        "easy",
        "In a SOAP note, which section holds the patient's own description of her symptoms?",
        ["Subjective", "Objective", "Assessment", "Plan"],
        "A",
        (
            "What the patient reports goes under Subjective; Objective holds measurements, Assessment the "
            "diagnosis and Plan the treatment."
        ),
        ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 12 (SOAP notes)"],
    ),
]
